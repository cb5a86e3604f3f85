/** The Temporal header that carries the HTTP request id into workflows and activities (shared, no imports). */
export const REQUEST_ID_HEADER_KEY = 'oms-request-id';
