'use strict';
/* global module */
// restify calls spdy.createServer only when given `spdy` options, which this bot never passes.
module.exports = {
  createServer() {
    throw new Error('spdy (HTTP/2) is not installed in this project: see stubs/spdy/package.json');
  },
};
