// What a template can read: the Liquid variables of one message. Names are snake_case, as
// template authors write them (`{{ contact.first_name }}`). docs/templates.md is the reference.

/** The contact as templates see it. */
export interface ContactVars {
  id: number;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  /** First and last name joined, or null when both are empty. */
  full_name: string | null;
  locale: string | null;
  timezone: string | null;
  external_id: string | null;
  created_at: Date | null;
  /** Custom attributes by key (`contact.attributes.tier`). */
  attributes: Record<string, unknown>;
  /** Slugs of the personas the contact belongs to (`contact.personas contains "vip"`). */
  personas: string[];
}

/**
 * A recommended product; fields beyond these are passed through as given. core/recommendations
 * answers with `item` (a SKU or category), `score`, `source` and `reason`.
 */
export interface Recommendation {
  item?: string;
  score?: number;
  source?: string;
  /** Why it is suggested ("bought together with …"), usable in copy. */
  reason?: string;
  sku?: string;
  name?: string;
  url?: string;
  image_url?: string;
  price?: number;
  category?: string;
  [field: string]: unknown;
}

/** Everything one recipient's render reads, except the per-message decorations. */
export interface TemplateScope {
  contact: ContactVars;
  /** contact_profiles features by column name (`profile.preferred_hour`); empty before the first profile refresh. */
  profile: Record<string, unknown>;
  /** Propensity scores by model target key (`scores["purchase-30d"]`). */
  scores: Record<string, number>;
  recommendations: Recommendation[];
  campaign: CampaignVars;
  workspace: WorkspaceVars;
}

export interface CampaignVars {
  id?: number | string;
  name?: string;
  /** The A/B variant name, when the campaign has variants. */
  variant?: string;
}

export interface WorkspaceVars {
  id: number;
  name: string;
  timezone: string;
}

/** Fields of `contact` templates may read (besides `attributes.<key>`). */
export const CONTACT_FIELDS = [
  'id', 'email', 'first_name', 'last_name', 'full_name', 'locale', 'timezone', 'external_id', 'created_at', 'attributes', 'personas',
] as const;

export const CAMPAIGN_FIELDS = ['id', 'name', 'variant'] as const;
export const WORKSPACE_FIELDS = ['id', 'name', 'timezone'] as const;

/** Variables set per message by the renderer itself. */
export const MESSAGE_VARIABLES = ['unsubscribe_url', 'preheader'] as const;

/** Roots whose inner fields are open-ended (any path is accepted). */
export const OPEN_ROOTS = ['recommendations', 'scores'] as const;

export const ROOT_VARIABLES = ['contact', 'profile', 'campaign', 'workspace', ...OPEN_ROOTS, ...MESSAGE_VARIABLES] as const;

/** A scope for a contact we know nothing about (previews of unsaved sources, tests). */
export function emptyScope(workspace: WorkspaceVars, contact: Partial<ContactVars> = {}): TemplateScope {
  return {
    contact: {
      id: 0, email: null, first_name: null, last_name: null, full_name: null, locale: null, timezone: null,
      external_id: null, created_at: null, attributes: {}, personas: [], ...contact,
    },
    profile: {},
    scores: {},
    recommendations: [],
    campaign: {},
    workspace,
  };
}
