// The four built-in Puffle signal types every tenant starts with. Each is structured,
// carries a draft-07 `config_schema` and a `config` valid against it, and has no source
// restriction (`sources: null`).

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';
const nonEmptyStrings = (max, description) => ({
  type: 'array', description, maxItems: max, uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
});

// Capitalised, as in Puffle's documented hiring config (`seniority: ["Senior", "Director"]`),
// so that a config copied from the vendor's pages validates (docs/contract.md).
export const SENIORITY = Object.freeze(['Intern', 'Junior', 'Mid', 'Senior', 'Lead', 'Manager', 'Director', 'VP', 'C-Level']);
const WORK_TYPES = Object.freeze(['Any', 'Remote', 'Hybrid', 'On-site']);
const FUNDING_STAGES = ['pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'series_d_plus',
  'growth', 'debt', 'ipo', 'acquisition'];

export const BUILT_INS = Object.freeze([
  {
    label: 'hiring',
    description: 'Companies opening roles that suggest they need what you sell.',
    keywords: ['hiring', 'we are hiring', 'job opening', 'open role', 'join our team', 'now hiring'],
    disqualifiers: ['internship program', 'volunteer'],
    search_instructions: 'Find job postings and announcements where a company is hiring for roles '
      + 'related to the configured roles and departments. Prefer recent postings from the company itself.',
    scoring_criteria: 'Score higher when the role matches the configured roles and seniority, when '
      + 'several related roles are open at once, and when the posting is less than two weeks old.',
    // The shape of Puffle's documented hiring example: roles, seniority, work_type, locations.
    config: {
      roles: ['Account Executive', 'Sales Development Representative', 'RevOps Manager'],
      seniority: ['Mid', 'Senior', 'Manager'],
      work_type: 'Any',
      locations: [],
    },
    config_schema: {
      $schema: DRAFT7,
      title: 'Hiring signal configuration',
      type: 'object',
      properties: {
        roles: nonEmptyStrings(50, 'Job titles to look for.'),
        seniority: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...SENIORITY] } },
        work_type: { type: 'string', enum: [...WORK_TYPES], description: 'Where the work happens; Any means no preference.' },
        locations: nonEmptyStrings(50, 'Countries, regions or cities; empty means anywhere.'),
      },
      required: ['roles'],
      additionalProperties: false,
    },
  },
  {
    label: 'funding',
    description: 'Companies that just raised money and are about to spend it.',
    keywords: ['raises', 'funding round', 'series a', 'series b', 'seed round', 'led by', 'venture capital'],
    disqualifiers: ['crowdfunding', 'kickstarter'],
    search_instructions: 'Find announcements of completed funding rounds (equity or debt) for companies '
      + 'in the configured industries and stages. Ignore rumours and fund launches by investors.',
    scoring_criteria: 'Score higher for rounds at the configured stages, amounts above the minimum, '
      + 'announcements from the company or a reputable outlet, and rounds in the last 30 days.',
    config: {
      stages: ['seed', 'series_a', 'series_b'],
      industries: ['software', 'fintech'],
      min_amount_usd: 1000000,
      max_age_days: 90,
    },
    config_schema: {
      $schema: DRAFT7,
      title: 'Funding signal configuration',
      type: 'object',
      properties: {
        stages: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: FUNDING_STAGES } },
        industries: nonEmptyStrings(30, 'Industries to include; empty means any.'),
        min_amount_usd: { type: 'number', minimum: 0 },
        max_age_days: { type: 'integer', minimum: 1, maximum: 365 },
      },
      required: ['stages'],
      additionalProperties: false,
    },
  },
  {
    label: 'management_change',
    description: 'New leaders arrive with budgets and a mandate to change things.',
    keywords: ['appointed', 'joins as', 'new chief', 'promoted to', 'steps down', 'names new'],
    disqualifiers: ['board of directors election', 'obituary'],
    search_instructions: 'Find announcements of executives joining, leaving or being promoted at '
      + 'companies, for the configured titles and change types.',
    scoring_criteria: 'Score higher when the title matches the configured titles, for new hires over '
      + 'departures, and when the person owns the budget for what you sell.',
    config: {
      titles: ['Chief Revenue Officer', 'VP Sales', 'Head of Marketing'],
      change_types: ['new_hire', 'promotion'],
      seniority: ['VP', 'C-Level'],
    },
    config_schema: {
      $schema: DRAFT7,
      title: 'Management change signal configuration',
      type: 'object',
      properties: {
        titles: nonEmptyStrings(50, 'Executive titles to watch.'),
        change_types: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum:
          ['new_hire', 'departure', 'promotion'] } },
        seniority: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...SENIORITY] } },
      },
      required: ['titles', 'change_types'],
      additionalProperties: false,
    },
  },
  {
    label: 'competitor_mentions',
    description: 'People comparing, leaving or complaining about a competitor.',
    keywords: ['alternative to', 'switching from', 'vs', 'compared to', 'replacing'],
    disqualifiers: ['affiliate link', 'sponsored'],
    search_instructions: 'Find posts, reviews and discussions where someone compares, evaluates, '
      + 'complains about or switches away from one of the configured competitors.',
    scoring_criteria: 'Score higher for explicit intent to switch, for reviews with low ratings of a '
      + 'competitor, and for authors who work at a company that fits the ideal customer profile.',
    config: {
      competitors: ['Competitor One', 'Competitor Two'],
      mention_types: ['comparison', 'switching', 'complaint'],
      include_reviews: true,
    },
    config_schema: {
      $schema: DRAFT7,
      title: 'Competitor mentions signal configuration',
      type: 'object',
      properties: {
        competitors: { ...nonEmptyStrings(25, 'Competitor names.'), minItems: 1 },
        mention_types: { type: 'array', uniqueItems: true, items: { type: 'string', enum:
          ['comparison', 'switching', 'complaint', 'review', 'pricing'] } },
        include_reviews: { type: 'boolean' },
      },
      required: ['competitors'],
      additionalProperties: false,
    },
  },
]);

/** The full signal type object for a built-in, with the given id. */
export function builtInType(def, id) {
  return {
    id,
    label: def.label,
    description: def.description,
    kind: 'structured',
    enabled: true,
    keywords: def.keywords.slice(),
    disqualifiers: def.disqualifiers.slice(),
    config: structuredClone(def.config),
    config_schema: structuredClone(def.config_schema),
    built_in: true,
    search_instructions: def.search_instructions,
    scoring_criteria: def.scoring_criteria,
    sources: null,
  };
}

export function builtInByLabel(label) {
  return BUILT_INS.find((d) => d.label === label) ?? null;
}
