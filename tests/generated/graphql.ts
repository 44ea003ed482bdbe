/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  DateTime: { input: string; output: string; }
  File: { input: File; output: File; }
  JSON: { input: unknown; output: unknown; }
};

export type ApiKey = Node & {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Updated at most once a minute. */
  lastUsedAt: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The visible start of the key, to tell keys apart. */
  prefix: Scalars['String']['output'];
  revokedAt: Maybe<Scalars['DateTime']['output']>;
  scope: ApiKeyScope;
};

export type ApiKeyScope =
  /** WRITE plus API keys, integrations and workspace settings. */
  | 'ADMIN'
  /** Queries and subscriptions. */
  | 'READ'
  /** READ plus mutations on data. */
  | 'WRITE';

/** A condition on a custom attribute; the operator must suit the attribute type. */
export type AttributeCondition = {
  key: Scalars['String']['input'];
  op: AttributeOperator;
  /** A value of the attribute type; a list for IN; omitted for EXISTS/NOT_EXISTS. */
  value?: InputMaybe<Scalars['JSON']['input']>;
};

export type AttributeDefinition = Node & {
  __typename?: 'AttributeDefinition';
  createdAt: Scalars['DateTime']['output'];
  description: Maybe<Scalars['String']['output']>;
  enumValues: Maybe<Array<Scalars['String']['output']>>;
  id: Scalars['ID']['output'];
  key: Scalars['String']['output'];
  label: Scalars['String']['output'];
  type: AttributeType;
};

export type AttributeOperator =
  | 'CONTAINS'
  | 'EQ'
  | 'EXISTS'
  | 'GT'
  | 'GTE'
  | 'IN'
  | 'LT'
  | 'LTE'
  | 'NEQ'
  | 'NOT_EXISTS';

export type AttributeType =
  | 'BOOLEAN'
  | 'DATE'
  | 'ENUM'
  | 'NUMBER'
  | 'STRING';

/** Marketing consent: its status, where it came from and when it was given or withdrawn. */
export type Consent = {
  __typename?: 'Consent';
  at: Maybe<Scalars['DateTime']['output']>;
  source: Maybe<Scalars['String']['output']>;
  status: ConsentStatus;
};

export type ConsentInput = {
  /** When; defaults to now. */
  at?: InputMaybe<Scalars['DateTime']['input']>;
  /** Where consent was given or withdrawn (form, import, checkout...). */
  source?: InputMaybe<Scalars['String']['input']>;
  status: ConsentStatus;
};

export type ConsentStatus =
  /** Opt-in requested but not confirmed (double opt-in). */
  | 'PENDING'
  /** Opted in to marketing email. */
  | 'SUBSCRIBED'
  /** No consent recorded; not mailed by marketing campaigns. */
  | 'UNKNOWN'
  /** Opted out; only transactional email is sent. */
  | 'UNSUBSCRIBED';

export type Contact = Node & {
  __typename?: 'Contact';
  attribute: Maybe<Scalars['JSON']['output']>;
  /** Custom attributes, typed by the workspace attribute definitions. */
  attributes: Scalars['JSON']['output'];
  consent: Consent;
  createdAt: Scalars['DateTime']['output'];
  email: Maybe<Scalars['String']['output']>;
  /** Number of events, optionally of one type. */
  eventCount: Scalars['Int']['output'];
  externalId: Maybe<Scalars['String']['output']>;
  firstName: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lastName: Maybe<Scalars['String']['output']>;
  /** Time of the most recent event. */
  lastSeenAt: Maybe<Scalars['DateTime']['output']>;
  locale: Maybe<Scalars['String']['output']>;
  /** The latest events, newest first (batched across a page of contacts). */
  recentEvents: Array<Event>;
  /** IANA time zone; the workspace zone applies when null. */
  timezone: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};


export type ContactAttributeArgs = {
  key: Scalars['String']['input'];
};


export type ContactEventCountArgs = {
  type?: InputMaybe<Scalars['String']['input']>;
};


export type ContactRecentEventsArgs = {
  limit?: Scalars['Int']['input'];
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type ContactFilter = {
  /** All conditions must hold. */
  attributes?: InputMaybe<Array<AttributeCondition>>;
  consentStatus?: InputMaybe<Array<ConsentStatus>>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  hasEmail?: InputMaybe<Scalars['Boolean']['input']>;
  lastSeenAfter?: InputMaybe<Scalars['DateTime']['input']>;
  lastSeenBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Substring of the email, first or last name, or external id. */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** Contact fields. Omitted fields are left unchanged; null clears a field. Attributes are merged (null removes one). */
export type ContactInput = {
  /** Object of attribute key → value, checked against the attribute definitions. */
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  consent?: InputMaybe<ConsentInput>;
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  /** BCP 47 tag, e.g. en-GB. */
  locale?: InputMaybe<Scalars['String']['input']>;
  /** IANA zone, e.g. Europe/Paris. */
  timezone?: InputMaybe<Scalars['String']['input']>;
};

export type ContactOrder = {
  direction?: SortDirection;
  field: ContactSortField;
};

export type ContactSortField =
  | 'CREATED_AT'
  | 'EMAIL'
  | 'LAST_NAME'
  | 'LAST_SEEN_AT'
  | 'UPDATED_AT';

export type CreateIntegrationInput = {
  /** Settings and secrets, validated by the extension. */
  config: Scalars['JSON']['input'];
  isDefault?: InputMaybe<Scalars['Boolean']['input']>;
  /** The extension key, e.g. sendgrid, smtp, outbox. */
  key: Scalars['String']['input'];
  kind: IntegrationKind;
  name: Scalars['String']['input'];
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** The key itself. Shown only here, once: store it now. */
  secret: Scalars['String']['output'];
};

export type CsvColumnMapping = {
  /** Header of the CSV column. */
  column: Scalars['String']['input'];
  /** email, externalId, firstName, lastName, locale, timezone, consentStatus, or attributes.<key>. Null ignores the column. */
  field?: InputMaybe<Scalars['String']['input']>;
};

export type CsvImportReport = {
  __typename?: 'CsvImportReport';
  created: Scalars['Int']['output'];
  errors: Array<CsvRowError>;
  errorsTruncated: Scalars['Boolean']['output'];
  failed: Scalars['Int']['output'];
  failureReason: Maybe<Scalars['String']['output']>;
  ignoredColumns: Array<Scalars['String']['output']>;
  importRunId: Scalars['ID']['output'];
  /** Set when the same file was imported before (the import is idempotent). */
  previousImportRunId: Maybe<Scalars['ID']['output']>;
  /** COMPLETED, or FAILED when the file was malformed (nothing written). */
  status: Scalars['String']['output'];
  totalRows: Scalars['Int']['output'];
  unchanged: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

export type CsvRowError = {
  __typename?: 'CsvRowError';
  column: Maybe<Scalars['String']['output']>;
  /** Line in the file; the header is line 1. */
  line: Scalars['Int']['output'];
  message: Scalars['String']['output'];
};

export type Event = Node & {
  __typename?: 'Event';
  contact: Contact;
  id: Scalars['ID']['output'];
  idempotencyKey: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTime']['output'];
  properties: Scalars['JSON']['output'];
  receivedAt: Scalars['DateTime']['output'];
  source: Scalars['String']['output'];
  type: Scalars['String']['output'];
  value: Maybe<Scalars['Float']['output']>;
};

export type EventFilter = {
  contactId?: InputMaybe<Scalars['ID']['input']>;
  occurredAfter?: InputMaybe<Scalars['DateTime']['input']>;
  occurredBefore?: InputMaybe<Scalars['DateTime']['input']>;
  source?: InputMaybe<Scalars['String']['input']>;
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** An extension a plugin registered (an email provider, a connector). */
export type Extension = {
  __typename?: 'Extension';
  key: Scalars['String']['output'];
  kind: IntegrationKind;
  label: Scalars['String']['output'];
  /** The plugin that registered it. */
  plugin: Scalars['String']['output'];
};

/** At most maxMessages marketing emails per contact within windowDays, and none within minHoursBetween of the last. */
export type FrequencyCap = {
  __typename?: 'FrequencyCap';
  maxMessages: Scalars['Int']['output'];
  minHoursBetween: Scalars['Float']['output'];
  windowDays: Scalars['Int']['output'];
};

export type FrequencyCapInput = {
  maxMessages: Scalars['Int']['input'];
  minHoursBetween: Scalars['Float']['input'];
  windowDays: Scalars['Int']['input'];
};

export type ImportRun = Node & {
  __typename?: 'ImportRun';
  created: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  errors: Scalars['JSON']['output'];
  failed: Scalars['Int']['output'];
  filename: Maybe<Scalars['String']['output']>;
  finishedAt: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  source: Scalars['String']['output'];
  status: Scalars['String']['output'];
  totalRows: Scalars['Int']['output'];
  unchanged: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

export type Integration = Node & {
  __typename?: 'Integration';
  createdAt: Scalars['DateTime']['output'];
  enabled: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  isDefault: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  kind: IntegrationKind;
  name: Scalars['String']['output'];
  /** Secret settings that are set (values are never returned). */
  secretFields: Array<Scalars['String']['output']>;
  /** Non-secret settings. */
  settings: Scalars['JSON']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type IntegrationKind =
  | 'CONNECTOR'
  | 'EMAIL_PROVIDER';

/** A background job (model training, persona refresh, scheduled launch...). */
export type Job = Node & {
  __typename?: 'Job';
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  error: Maybe<Scalars['String']['output']>;
  finishedAt: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  kind: Scalars['String']['output'];
  /** 0 to 1. */
  progress: Scalars['Float']['output'];
  progressMessage: Maybe<Scalars['String']['output']>;
  result: Maybe<Scalars['JSON']['output']>;
  startedAt: Maybe<Scalars['DateTime']['output']>;
  status: JobStatus;
};

export type JobStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Mutation = {
  __typename?: 'Mutation';
  /** Suppresses addresses; returns how many were new. */
  addSuppressions: Scalars['Int']['output'];
  /** Cancels a queued job at once, or a running one at its next progress report. */
  cancelJob: Job;
  createApiKey: CreatedApiKey;
  /** Creates a contact; it needs an email or an externalId, each unique in the workspace (CONFLICT otherwise). */
  createContact: Contact;
  /** Configures an email provider or connector for the workspace. Secret fields are encrypted at rest and never returned. */
  createIntegration: Integration;
  /** Defines a typed custom attribute (key in snake_case). Values written later are checked against it. */
  defineAttribute: AttributeDefinition;
  /** Deletes a contact with its events and memberships; returns its ID. */
  deleteContact: Scalars['ID']['output'];
  deleteIntegration: Scalars['ID']['output'];
  /** Imports contacts from a CSV file (GraphQL multipart upload), streamed. Rows with bad values are skipped and reported by line; a malformed file writes nothing. Re-importing a file is idempotent. */
  importContactsCsv: CsvImportReport;
  removeSuppression: Scalars['Boolean']['output'];
  /** Revokes a key; requests with it fail with UNAUTHENTICATED from then on. */
  revokeApiKey: ApiKey;
  /** Records up to 10000 events. Malformed items are rejected with their index and reason; the rest are stored. */
  trackEvents: TrackEventsResult;
  updateAttribute: AttributeDefinition;
  updateContact: Contact;
  updateIntegration: Integration;
  updateWorkspace: Workspace;
  /** Creates or updates up to 10000 contacts keyed by email or external id. One invalid row fails the call and nothing is written (every problem is listed in extensions.issues). */
  upsertContacts: UpsertContactsResult;
};


export type MutationAddSuppressionsArgs = {
  emails: Array<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  reason?: SuppressionReason;
};


export type MutationCancelJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateApiKeyArgs = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name: Scalars['String']['input'];
  scope: ApiKeyScope;
};


export type MutationCreateContactArgs = {
  input: ContactInput;
};


export type MutationCreateIntegrationArgs = {
  input: CreateIntegrationInput;
};


export type MutationDefineAttributeArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  enumValues?: InputMaybe<Array<Scalars['String']['input']>>;
  key: Scalars['String']['input'];
  label?: InputMaybe<Scalars['String']['input']>;
  type: AttributeType;
};


export type MutationDeleteContactArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteIntegrationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationImportContactsCsvArgs = {
  delimiter?: InputMaybe<Scalars['String']['input']>;
  file: Scalars['File']['input'];
  key?: UpsertKey;
  mapping?: InputMaybe<Array<CsvColumnMapping>>;
};


export type MutationRemoveSuppressionArgs = {
  email: Scalars['String']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationTrackEventsArgs = {
  events: Array<TrackEventInput>;
};


export type MutationUpdateAttributeArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  enumValues?: InputMaybe<Array<Scalars['String']['input']>>;
  id: Scalars['ID']['input'];
  label?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateContactArgs = {
  id: Scalars['ID']['input'];
  input: ContactInput;
};


export type MutationUpdateIntegrationArgs = {
  config?: InputMaybe<Scalars['JSON']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
  isDefault?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateWorkspaceArgs = {
  name?: InputMaybe<Scalars['String']['input']>;
  settings?: InputMaybe<WorkspaceSettingsInput>;
  timezone?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpsertContactsArgs = {
  contacts: Array<ContactInput>;
  key?: UpsertKey;
};

export type Node = {
  id: Scalars['ID']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  apiKeys: Array<ApiKey>;
  attributeDefinitions: Array<AttributeDefinition>;
  /** One contact by ID. NOT_FOUND if it does not exist in this workspace. */
  contact: Contact;
  contactByEmail: Maybe<Contact>;
  /** Contacts of the workspace, filtered and sorted. */
  contacts: QueryContactsConnection;
  /** Events of the workspace, newest first. */
  events: QueryEventsConnection;
  /** Email providers and connectors available to configure. */
  extensions: Array<Extension>;
  importRuns: QueryImportRunsConnection;
  integrations: Array<Integration>;
  jobs: QueryJobsConnection;
  node: Maybe<Node>;
  nodes: Array<Maybe<Node>>;
  /** Addresses that are never sent marketing email (bounces, complaints, unsubscribes, manual). */
  suppressions: QuerySuppressionsConnection;
  /** The API key's workspace. */
  workspace: Workspace;
};


export type QueryContactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryContactByEmailArgs = {
  email: Scalars['String']['input'];
};


export type QueryContactsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ContactFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ContactOrder>;
};


export type QueryEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryImportRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryIntegrationsArgs = {
  kind?: InputMaybe<IntegrationKind>;
};


export type QueryJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QuerySuppressionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};

/** A page of contacts. */
export type QueryContactsConnection = {
  __typename?: 'QueryContactsConnection';
  edges: Array<QueryContactsConnectionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type QueryContactsConnectionEdge = {
  __typename?: 'QueryContactsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Contact;
};

export type QueryEventsConnection = {
  __typename?: 'QueryEventsConnection';
  edges: Array<QueryEventsConnectionEdge>;
  pageInfo: PageInfo;
};

export type QueryEventsConnectionEdge = {
  __typename?: 'QueryEventsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Event;
};

export type QueryImportRunsConnection = {
  __typename?: 'QueryImportRunsConnection';
  edges: Array<QueryImportRunsConnectionEdge>;
  pageInfo: PageInfo;
};

export type QueryImportRunsConnectionEdge = {
  __typename?: 'QueryImportRunsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: ImportRun;
};

export type QueryJobsConnection = {
  __typename?: 'QueryJobsConnection';
  edges: Array<QueryJobsConnectionEdge>;
  pageInfo: PageInfo;
};

export type QueryJobsConnectionEdge = {
  __typename?: 'QueryJobsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Job;
};

export type QuerySuppressionsConnection = {
  __typename?: 'QuerySuppressionsConnection';
  edges: Array<QuerySuppressionsConnectionEdge>;
  pageInfo: PageInfo;
};

export type QuerySuppressionsConnectionEdge = {
  __typename?: 'QuerySuppressionsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Suppression;
};

export type QuietHours = {
  __typename?: 'QuietHours';
  endHour: Scalars['Int']['output'];
  startHour: Scalars['Int']['output'];
};

export type QuietHoursInput = {
  endHour: Scalars['Int']['input'];
  startHour: Scalars['Int']['input'];
};

export type RejectedEvent = {
  __typename?: 'RejectedEvent';
  /** Position of the event in the input list. */
  index: Scalars['Int']['output'];
  path: Array<Scalars['String']['output']>;
  reason: Scalars['String']['output'];
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type Subscription = {
  __typename?: 'Subscription';
  /** Emits the job each time its status or progress changes, until it finishes. */
  jobUpdated: Job;
};


export type SubscriptionJobUpdatedArgs = {
  id: Scalars['ID']['input'];
};

export type Suppression = Node & {
  __typename?: 'Suppression';
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  note: Maybe<Scalars['String']['output']>;
  reason: SuppressionReason;
  source: Maybe<Scalars['String']['output']>;
};

export type SuppressionReason =
  | 'COMPLAINT'
  | 'HARD_BOUNCE'
  | 'INVALID'
  | 'MANUAL'
  | 'UNSUBSCRIBE';

/** An event. Identify the contact by contactId, externalId or email; an unknown external id or email creates the contact. */
export type TrackEventInput = {
  contactId?: InputMaybe<Scalars['ID']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** Unique per event; a repeat is skipped and counted as a duplicate. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Defaults to now. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  properties?: InputMaybe<Scalars['JSON']['input']>;
  /** Event name, e.g. purchase, add_to_cart, page_view. */
  type: Scalars['String']['input'];
  /** Monetary value, e.g. the revenue of a purchase. */
  value?: InputMaybe<Scalars['Float']['input']>;
};

/** Valid events are stored even when others in the batch are rejected. */
export type TrackEventsResult = {
  __typename?: 'TrackEventsResult';
  accepted: Scalars['Int']['output'];
  contactsCreated: Scalars['Int']['output'];
  duplicates: Scalars['Int']['output'];
  rejected: Array<RejectedEvent>;
};

export type UpsertContactsResult = {
  __typename?: 'UpsertContactsResult';
  /** The contact ID for each input row, in order. */
  contactIds: Array<Scalars['ID']['output']>;
  created: Scalars['Int']['output'];
  unchanged: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

export type UpsertKey =
  | 'email'
  | 'externalId';

export type Workspace = Node & {
  __typename?: 'Workspace';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  isDemo: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  settings: WorkspaceSettings;
  slug: Scalars['String']['output'];
  timezone: Scalars['String']['output'];
};

export type WorkspaceSettings = {
  __typename?: 'WorkspaceSettings';
  conversionEvent: Scalars['String']['output'];
  conversionWindowDays: Scalars['Int']['output'];
  defaultSendHour: Scalars['Int']['output'];
  frequencyCap: FrequencyCap;
  quietHours: Maybe<QuietHours>;
};

/** Only the given settings change. */
export type WorkspaceSettingsInput = {
  conversionEvent?: InputMaybe<Scalars['String']['input']>;
  conversionWindowDays?: InputMaybe<Scalars['Int']['input']>;
  defaultSendHour?: InputMaybe<Scalars['Int']['input']>;
  frequencyCap?: InputMaybe<FrequencyCapInput>;
  /** null removes quiet hours. */
  quietHours?: InputMaybe<QuietHoursInput>;
};

export type ApiKeyScope =
  /** WRITE plus API keys, integrations and workspace settings. */
  | 'ADMIN'
  /** Queries and subscriptions. */
  | 'READ'
  /** READ plus mutations on data. */
  | 'WRITE';

/** A condition on a custom attribute; the operator must suit the attribute type. */
export type AttributeCondition = {
  key: string;
  op: AttributeOperator;
  /** A value of the attribute type; a list for IN; omitted for EXISTS/NOT_EXISTS. */
  value?: unknown;
};

export type AttributeOperator =
  | 'CONTAINS'
  | 'EQ'
  | 'EXISTS'
  | 'GT'
  | 'GTE'
  | 'IN'
  | 'LT'
  | 'LTE'
  | 'NEQ'
  | 'NOT_EXISTS';

export type AttributeType =
  | 'BOOLEAN'
  | 'DATE'
  | 'ENUM'
  | 'NUMBER'
  | 'STRING';

export type ConsentInput = {
  /** When; defaults to now. */
  at?: string | null | undefined;
  /** Where consent was given or withdrawn (form, import, checkout...). */
  source?: string | null | undefined;
  status: ConsentStatus;
};

export type ConsentStatus =
  /** Opt-in requested but not confirmed (double opt-in). */
  | 'PENDING'
  /** Opted in to marketing email. */
  | 'SUBSCRIBED'
  /** No consent recorded; not mailed by marketing campaigns. */
  | 'UNKNOWN'
  /** Opted out; only transactional email is sent. */
  | 'UNSUBSCRIBED';

export type ContactFilter = {
  /** All conditions must hold. */
  attributes?: Array<AttributeCondition> | null | undefined;
  consentStatus?: Array<ConsentStatus> | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  hasEmail?: boolean | null | undefined;
  lastSeenAfter?: string | null | undefined;
  lastSeenBefore?: string | null | undefined;
  /** Substring of the email, first or last name, or external id. */
  search?: string | null | undefined;
};

/** Contact fields. Omitted fields are left unchanged; null clears a field. Attributes are merged (null removes one). */
export type ContactInput = {
  /** Object of attribute key → value, checked against the attribute definitions. */
  attributes?: unknown;
  consent?: ConsentInput | null | undefined;
  email?: string | null | undefined;
  externalId?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  /** BCP 47 tag, e.g. en-GB. */
  locale?: string | null | undefined;
  /** IANA zone, e.g. Europe/Paris. */
  timezone?: string | null | undefined;
};

export type ContactOrder = {
  direction?: SortDirection;
  field: ContactSortField;
};

export type ContactSortField =
  | 'CREATED_AT'
  | 'EMAIL'
  | 'LAST_NAME'
  | 'LAST_SEEN_AT'
  | 'UPDATED_AT';

export type CsvColumnMapping = {
  /** Header of the CSV column. */
  column: string;
  /** email, externalId, firstName, lastName, locale, timezone, consentStatus, or attributes.<key>. Null ignores the column. */
  field?: string | null | undefined;
};

export type EventFilter = {
  contactId?: string | number | null | undefined;
  occurredAfter?: string | null | undefined;
  occurredBefore?: string | null | undefined;
  source?: string | null | undefined;
  types?: Array<string> | null | undefined;
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** An event. Identify the contact by contactId, externalId or email; an unknown external id or email creates the contact. */
export type TrackEventInput = {
  contactId?: string | number | null | undefined;
  email?: string | null | undefined;
  externalId?: string | null | undefined;
  /** Unique per event; a repeat is skipped and counted as a duplicate. */
  idempotencyKey?: string | null | undefined;
  /** Defaults to now. */
  occurredAt?: string | null | undefined;
  properties?: unknown;
  /** Event name, e.g. purchase, add_to_cart, page_view. */
  type: string;
  /** Monetary value, e.g. the revenue of a purchase. */
  value?: number | null | undefined;
};

export type UpsertKey =
  | 'email'
  | 'externalId';

export type ContactsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ContactFilter | null | undefined;
  orderBy?: ContactOrder | null | undefined;
}>;


export type ContactsPageQuery = { contacts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, email: string | null, externalId: string | null, firstName: string | null, lastName: string | null, attributes: unknown, eventCount: number, consent: { status: ConsentStatus, source: string | null, at: string | null }, recentEvents: Array<{ id: string, type: string, value: number | null, occurredAt: string }> } }> } };

export type ContactQueryVariables = Exact<{
  id: string | number;
}>;


export type ContactQuery = { contact: { id: string, email: string | null, firstName: string | null, lastName: string | null, locale: string | null, timezone: string | null, attributes: unknown, consent: { status: ConsentStatus } } };

export type NodeQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQuery = { node:
    | { __typename: 'ApiKey', id: string }
    | { __typename: 'AttributeDefinition', id: string }
    | { __typename: 'Contact', email: string | null, id: string }
    | { __typename: 'Event', id: string }
    | { __typename: 'ImportRun', id: string }
    | { __typename: 'Integration', id: string }
    | { __typename: 'Job', id: string }
    | { __typename: 'Suppression', id: string }
    | { __typename: 'Workspace', id: string }
   | null };

export type CreateContactMutationVariables = Exact<{
  input: ContactInput;
}>;


export type CreateContactMutation = { createContact: { id: string, email: string | null, firstName: string | null, attributes: unknown, consent: { status: ConsentStatus, source: string | null } } };

export type UpdateContactMutationVariables = Exact<{
  id: string | number;
  input: ContactInput;
}>;


export type UpdateContactMutation = { updateContact: { id: string, email: string | null, firstName: string | null, lastName: string | null, attributes: unknown, consent: { status: ConsentStatus } } };

export type DeleteContactMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteContactMutation = { deleteContact: string };

export type UpsertContactsMutationVariables = Exact<{
  contacts: Array<ContactInput> | ContactInput;
  key: UpsertKey;
}>;


export type UpsertContactsMutation = { upsertContacts: { created: number, updated: number, unchanged: number, contactIds: Array<string> } };

export type DefineAttributeMutationVariables = Exact<{
  key: string;
  type: AttributeType;
  enumValues?: Array<string> | string | null | undefined;
}>;


export type DefineAttributeMutation = { defineAttribute: { id: string, key: string, type: AttributeType, enumValues: Array<string> | null } };

export type ImportContactsCsvMutationVariables = Exact<{
  file: File;
  key: UpsertKey;
  mapping?: Array<CsvColumnMapping> | CsvColumnMapping | null | undefined;
}>;


export type ImportContactsCsvMutation = { importContactsCsv: { importRunId: string, status: string, failureReason: string | null, totalRows: number, created: number, updated: number, unchanged: number, failed: number, ignoredColumns: Array<string>, previousImportRunId: string | null, errors: Array<{ line: number, column: string | null, message: string }> } };

export type TrackEventsMutationVariables = Exact<{
  events: Array<TrackEventInput> | TrackEventInput;
}>;


export type TrackEventsMutation = { trackEvents: { accepted: number, duplicates: number, contactsCreated: number, rejected: Array<{ index: number, path: Array<string>, reason: string }> } };

export type EventsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type EventsQuery = { events: { edges: Array<{ node: { id: string, type: string, properties: unknown, value: number | null, occurredAt: string, source: string, contact: { id: string, email: string | null } } }> } };

export type WorkspaceQueryVariables = Exact<{ [key: string]: never; }>;


export type WorkspaceQuery = { workspace: { id: string, name: string, timezone: string, settings: { defaultSendHour: number, frequencyCap: { maxMessages: number, windowDays: number, minHoursBetween: number } } } };

export type CreateApiKeyMutationVariables = Exact<{
  name: string;
  scope: ApiKeyScope;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, prefix: string, scope: ApiKeyScope } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, revokedAt: string | null } };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, scope: ApiKeyScope, lastUsedAt: string | null, revokedAt: string | null }> };


export const ContactsPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ContactsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"attributes"}},{"kind":"Field","name":{"kind":"Name","value":"consent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"Field","name":{"kind":"Name","value":"eventCount"}},{"kind":"Field","name":{"kind":"Name","value":"recentEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"IntValue","value":"3"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ContactsPageQuery, ContactsPageQueryVariables>;
export const ContactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Contact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}},{"kind":"Field","name":{"kind":"Name","value":"attributes"}},{"kind":"Field","name":{"kind":"Name","value":"consent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ContactQuery, ContactQueryVariables>;
export const NodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Node"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Contact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]} as unknown as DocumentNode<NodeQuery, NodeQueryVariables>;
export const CreateContactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateContact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createContact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"attributes"}},{"kind":"Field","name":{"kind":"Name","value":"consent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]}}]} as unknown as DocumentNode<CreateContactMutation, CreateContactMutationVariables>;
export const UpdateContactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateContact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateContact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"attributes"}},{"kind":"Field","name":{"kind":"Name","value":"consent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateContactMutation, UpdateContactMutationVariables>;
export const DeleteContactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteContact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteContact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteContactMutation, DeleteContactMutationVariables>;
export const UpsertContactsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpsertContacts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"contacts"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactInput"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpsertKey"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"upsertContacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"contacts"},"value":{"kind":"Variable","name":{"kind":"Name","value":"contacts"}}},{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"contactIds"}}]}}]}}]} as unknown as DocumentNode<UpsertContactsMutation, UpsertContactsMutationVariables>;
export const DefineAttributeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DefineAttribute"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"type"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AttributeType"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"enumValues"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"defineAttribute"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"Variable","name":{"kind":"Name","value":"type"}}},{"kind":"Argument","name":{"kind":"Name","value":"enumValues"},"value":{"kind":"Variable","name":{"kind":"Name","value":"enumValues"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"enumValues"}}]}}]}}]} as unknown as DocumentNode<DefineAttributeMutation, DefineAttributeMutationVariables>;
export const ImportContactsCsvDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ImportContactsCsv"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"File"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpsertKey"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mapping"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CsvColumnMapping"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importContactsCsv"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"file"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}},{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"mapping"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mapping"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importRunId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"totalRows"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"column"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ignoredColumns"}},{"kind":"Field","name":{"kind":"Name","value":"previousImportRunId"}}]}}]}}]} as unknown as DocumentNode<ImportContactsCsvMutation, ImportContactsCsvMutationVariables>;
export const TrackEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TrackEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"events"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TrackEventInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"events"},"value":{"kind":"Variable","name":{"kind":"Name","value":"events"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}},{"kind":"Field","name":{"kind":"Name","value":"contactsCreated"}},{"kind":"Field","name":{"kind":"Name","value":"rejected"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]}}]} as unknown as DocumentNode<TrackEventsMutation, TrackEventsMutationVariables>;
export const EventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Events"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"properties"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"contact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<EventsQuery, EventsQueryVariables>;
export const WorkspaceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Workspace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}},{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"frequencyCap"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxMessages"}},{"kind":"Field","name":{"kind":"Name","value":"windowDays"}},{"kind":"Field","name":{"kind":"Name","value":"minHoursBetween"}}]}},{"kind":"Field","name":{"kind":"Name","value":"defaultSendHour"}}]}}]}}]}}]} as unknown as DocumentNode<WorkspaceQuery, WorkspaceQueryVariables>;
export const CreateApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateApiKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"scope"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKeyScope"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"scope"},"value":{"kind":"Variable","name":{"kind":"Name","value":"scope"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"apiKey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}}]}}]} as unknown as DocumentNode<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeApiKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const ApiKeysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<ApiKeysQuery, ApiKeysQueryVariables>;