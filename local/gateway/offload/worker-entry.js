// A worker thread's entry point. Worker threads load files with Node's own loader, which reads no
// TypeScript, and neither tsx's hooks (under `npm start`) nor ts-jest's transform (under jest) are
// guaranteed to reach them: this plain-JavaScript file registers tsx's require hook in the thread
// itself, then loads the TypeScript worker. So the worker runs the same source everywhere.
'use strict';
require('tsx/cjs/api').register();
require('./body-worker.ts');
