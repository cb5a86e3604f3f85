#!/usr/bin/env node
/*
 * Runs before `npm start`, `npm test` and the test tiers (npm's pre-scripts), in plain JavaScript so that it
 * runs on any Node: on a Node the product does not support it says which version is needed and how to get
 * it, instead of a stack trace from a framework that needs a newer one.
 *
 * The product needs Node 22.17+ on the 22 line or 24+ (MikroORM 7's floor; NestJS 12 and MikroORM 7 are ES
 * modules that this CommonJS project loads with require()). The tests need 24.9+: jest loads ES modules
 * from CommonJS only there (under --experimental-vm-modules, which .npmrc passes to npm's scripts and npx).
 */
'use strict';

var purpose = process.argv[2] === 'test' ? 'test' : 'run';
var parts = process.versions.node.split('.').map(Number);
var major = parts[0];
var minor = parts[1];

function runs() {
  return (major === 22 && minor >= 17) || major >= 24;
}
function tests() {
  return (major === 24 && minor >= 9) || major > 24;
}

if (purpose === 'run' ? !runs() : !tests()) {
  var needed =
    purpose === 'run'
      ? 'The order system needs Node.js 24 LTS (recommended) or 22.17 or newer on the 22 line'
      : 'The tests need Node.js 24.9 or newer (24 LTS); the product itself also runs on 22.17+';
  process.stderr.write(
    [
      '',
      needed + '; this is Node.js ' + process.versions.node + '.',
      'Get Node 24 without touching the system one, from the npm registry:',
      '  npm i --prefix ~/.cache/oms/node24 node@24',
      '  export PATH="$HOME/.cache/oms/node24/node_modules/.bin:$PATH"',
      'or from your distribution, nodejs.org, or a version manager (nvm install 24). See docs/upgrading.md.',
      '',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
