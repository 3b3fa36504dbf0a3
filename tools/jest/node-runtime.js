// Keel runs on the Node.js that package.json's engines name. On Linux, `npm ci` installs it as
// node_modules/.bin/node (the node-linux-* optional dependencies), which npm puts first on PATH
// for every script and for npx; a `jest` or `node` started some other way may run on the machine's
// own Node instead. Jest's global setup (jest.preset.js) stops such a run before any test, and
// `npm test` runs this file first, so its output starts with the Node it runs on.
const semver = require('semver');
const { engines } = require('../../package.json');

/** Names the running Node when package.json's engines allow it; throws why not otherwise. */
function checkNodeRuntime() {
  const running = `Node ${process.version} (${process.execPath})`;
  if (!semver.satisfies(process.version, engines.node)) {
    throw new Error(
      `Keel runs on Node ${engines.node} (package.json engines), not on ${running}. ` +
        'Start it through npm (npm test, npm run …, npx jest …): on Linux npm ci installs that Node ' +
        'as node_modules/.bin/node and npm puts it first on PATH; elsewhere install it yourself (README).',
    );
  }
  return running;
}

module.exports = checkNodeRuntime;

if (require.main === module) {
  try {
    console.log(checkNodeRuntime());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
