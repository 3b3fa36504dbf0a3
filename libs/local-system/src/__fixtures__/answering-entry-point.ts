import { createServer } from 'node:http';

// Stands in for a test build of psp-sim: answers its readiness path with the file it started from.
const server = createServer((request, response) => {
  response.writeHead(request.url === '/health/live' ? 200 : 404, { 'content-type': 'text/plain' });
  response.end(__filename);
});
server.listen(Number(process.env['PSP_SIM_PORT']), process.env['PSP_SIM_HOST']);
process.once('SIGTERM', () => process.exit(0));
