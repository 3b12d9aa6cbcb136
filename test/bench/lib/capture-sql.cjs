// Preloaded into the API (`node --require`) by the bench: records the SQL that one HTTP request
// sends to PostgreSQL, so a scenario's raw baseline can run exactly those statements with `pg`.
// Only requests carrying `x-bench-capture: <label>` are recorded (to BENCH_CAPTURE_FILE, one JSON
// line per statement); all others pay one header lookup.
'use strict';
const { AsyncLocalStorage } = require('node:async_hooks');
const { appendFileSync } = require('node:fs');
const http = require('node:http');
const { dirname } = require('node:path');

const file = process.env.BENCH_CAPTURE_FILE;
if (file) {
  const als = new AsyncLocalStorage();
  // An enabled AsyncLocalStorage hooks every promise of the process (Node 20): it is disabled
  // again once no captured request is running, so that the measured runs pay nothing for it.
  let capturing = 0;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, ...rest) {
    const label = event === 'request' ? req.headers['x-bench-capture'] : undefined;
    if (label) {
      capturing++;
      rest[0].once('close', () => {
        if (--capturing === 0) als.disable();
      });
      return als.run(String(label), () => emit.call(this, event, req, ...rest));
    }
    return emit.call(this, event, req, ...rest);
  };

  // The API's own copy of pg, as its data source will load it.
  const pgPath = require.resolve('pg', { paths: [dirname(process.argv[1])] });
  const pg = require(pgPath);
  const { prepareValue } = require(require.resolve('pg/lib/utils', { paths: [dirname(pgPath)] }));
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, callback) {
    const label = als.getStore();
    if (label) {
      const text = typeof config === 'string' ? config : config && config.text;
      const params = Array.isArray(values) ? values : config && Array.isArray(config.values) ? config.values : [];
      if (typeof text === 'string') {
        // pg's own text conversion, so the replay sends the same parameter strings
        const line = {
          label,
          text,
          // (statements the API prepares are replayed prepared too: planned once per connection)
          prepared: Boolean(config && typeof config === 'object' && config.name),
          values: params.map((v) => prepareValue(v)),
          at: process.hrtime.bigint().toString(),
        };
        appendFileSync(file, `${JSON.stringify(line)}\n`);
      }
    }
    return query.call(this, config, values, callback);
  };
}
