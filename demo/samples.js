// Sample data of the dashboard: the company to onboard (generation needs its profile), demo templates for a
// fresh Saber tenant, documents for the keyword preview, and companies to research and score.

// Who onboards the demo company: Puffle crawls the website and writes the company profile.
export const DEMO_ONBOARDING = {
  website: 'https://acme-analytics.com',
  firstName: 'Dana',
  lastName: 'Okafor',
};

export const DEMO_TEMPLATES = [
  {
    name: 'Employee count',
    question: 'How many employees does the company have?',
    answerType: 'number',
    weight: 'important',
    qualificationCriteria: {
      ranges: [
        { rangeStart: null, rangeEnd: 50, answerQualification: 'poor' },
        { rangeStart: 50, rangeEnd: 500, answerQualification: 'good' },
        { rangeStart: 500, rangeEnd: 5000, answerQualification: 'excellent' },
        { rangeStart: 5000, rangeEnd: null, answerQualification: 'neutral' },
      ],
    },
  },
  {
    name: 'Uses a CRM',
    question: 'Does the company use a CRM?',
    answerType: 'boolean',
    weight: 'important',
    qualificationCriteria: { yes: 'good', no: 'poor' },
  },
  {
    name: 'CRM vendor',
    question: 'Which CRM does the company use?',
    answerType: 'list',
    weight: 'nice_to_have',
    qualificationCriteria: {
      choices: {
        salesforce: { answerQualification: 'excellent', label: 'Salesforce' },
        hubspot: { answerQualification: 'good', label: 'HubSpot' },
        in_house: { answerQualification: 'disqualified', label: 'In-house' },
      },
    },
  },
  {
    name: 'Revenue growth',
    question: 'What was the year-over-year revenue growth?',
    answerType: 'percentage',
    weight: 'nice_to_have',
    qualificationCriteria: {
      ranges: [
        { rangeStart: 0, rangeEnd: 10, answerQualification: 'poor' },
        { rangeStart: 10, rangeEnd: 30, answerQualification: 'good' },
        { rangeStart: 30, rangeEnd: 100, answerQualification: 'excellent' },
      ],
    },
  },
];

// Companies the fit-score chart researches with the templates above (the emulator simulates
// the research: its answers are deterministic per domain and question).
export const SAMPLE_COMPANIES = [
  { name: 'Northwind', domain: 'northwind-traders.com' },
  { name: 'Globex', domain: 'globex.com' },
  { name: 'Umbrella', domain: 'umbrella-corp.com' },
  { name: 'Initech', domain: 'initech.com' },
  { name: 'Hooli', domain: 'hooli.com' },
];

export const SAMPLE_DOCUMENTS = [
  {
    name: 'Funding news',
    source: 'news',
    text: 'Northwind raises $40M in a Series-B funding round led by Example Ventures. '
      + 'The company says it is now hiring across sales and engineering, and plans to double its team. '
      + 'CEO Jane Doe steps down as chair; a new chief revenue officer joins as of May.',
  },
  {
    name: 'Crowdfunding post',
    source: 'reddit',
    text: 'Our board game raises $80k on Kickstarter! Huge thanks to everyone who backed the crowdfunding campaign. '
      + 'Next up: a funding round for the app version.',
  },
  {
    name: 'Job ad',
    source: 'linkedin_jobs',
    text: 'We are hiring! Join our team as a Senior Account Executive. '
      + 'You will sell our platform as an alternative to legacy tools, and help customers switching from spreadsheets.',
  },
];
