// The browser tier's test environment: when a test fails, and before its afterEach hooks close the browser,
// the console pages still open record what they show (`recordOpenPages` in test/support/browser.ts): a
// screenshot in test-artifacts/console/failed/, and the page's address, open modals and alerts in the test
// file's log, which the quiet reporter prints for a failing file.
const { TestEnvironment } = require('jest-environment-node');

class BrowserEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name === 'test_fn_failure' && typeof this.global.__recordOpenPages === 'function') {
      await this.global.__recordOpenPages(event.test.name).catch(() => undefined);
    }
  }
}

module.exports = BrowserEnvironment;
