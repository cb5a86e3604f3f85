/** Jest setup for the integration tests: every answer from the API is checked against its document. */
import { installResponseCheck } from './openapi-check';

installResponseCheck();
