import { ValidationError } from '../../core/errors';

/** Reads a JSON request body up to `maxBytes`; a malformed or oversized body is a 400 with the reason. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw ValidationError.at(['body'], `larger than ${maxBytes} bytes; split the batch`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw ValidationError.at(['body'], `larger than ${maxBytes} bytes; split the batch`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw ValidationError.at(['body'], `malformed JSON: ${(err as Error).message}`);
  }
}
