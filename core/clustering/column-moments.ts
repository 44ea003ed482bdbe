// Per-column mean and population variance of a row-major n × d matrix: what standardising
// the features (feature-matrix.ts) and k-means' tolerance (kmeans.ts) are both built on.

export function columnMoments(x: Float64Array, n: number, d: number): { means: number[]; variances: number[] } {
  const means: number[] = [];
  const variances: number[] = [];
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j] - mean) ** 2;
    means.push(mean);
    variances.push(v / n);
  }
  return { means, variances };
}
