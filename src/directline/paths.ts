/** Direct Line as the browser calls it; `createDirectLine({ domain })` takes this URL. */
export const DIRECT_LINE_PATH = '/v3/directline';
/** Where the page asks for a Direct Line token, in both modes. */
export const TOKEN_PATH = '/api/directline/token';
/** Azure's global Direct Line endpoint (DIRECT_LINE_DOMAIN may name a regional one). */
export const AZURE_DIRECT_LINE = 'https://directline.botframework.com/v3/directline';
