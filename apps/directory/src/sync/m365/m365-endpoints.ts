/** Where the identity platform and Graph are (MAILKEEP_M365_AUTHORITY_URL / MAILKEEP_M365_GRAPH_URL). */
export interface M365Endpoints {
  readonly authorityUrl: string;
  readonly graphUrl: string;
}

export const PUBLIC_CLOUD: M365Endpoints = {
  authorityUrl: 'https://login.microsoftonline.com',
  graphUrl: 'https://graph.microsoft.com',
};

/** The application permissions of Graph, whatever host answers (a national cloud or a fake). */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
