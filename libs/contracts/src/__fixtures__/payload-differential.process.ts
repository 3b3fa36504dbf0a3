// The differential check in a process of its own, run by the spec under @swc-node/register: there
// class fields follow define semantics (as in services started by npm start), unlike under jest.
import { differentialOfEveryEventType } from './payload-differential';

process.stdout.write(JSON.stringify(differentialOfEveryEventType()));
