import { startSimulator } from './kimiSimulator';

/**
 * `npm run simulator`: the Kimi simulator on a fixed port for manual testing of the extension.
 * Env: PORT (default 8787), SIM_API_KEY (default sk-sim-test-key), SIM_ACCEPT_ANY_KEY=1.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  const sim = await startSimulator({
    port,
    apiKey: process.env.SIM_API_KEY || undefined,
    acceptAnyKey: process.env.SIM_ACCEPT_ANY_KEY === '1',
    onResponse: (req) => {
      const how = req.closedByClient ? ' (closed by client)' : req.cutByServer ? ' (cut)' : '';
      console.log(`${new Date(req.time).toISOString()} ${req.method} ${req.path} -> ${req.status ?? '-'}${how}`);
    },
  });
  console.log(`Kimi simulator listening on ${sim.baseUrl}`);
  console.log(`API key: ${sim.apiKey}`);
  console.log('Point VS Code at it: in settings.json set');
  console.log(`  "moonpilot.baseUrl": "${sim.baseUrl}"`);
  console.log('then run "Moonpilot: Set API Key" with the key above. Ctrl+C stops the simulator.');
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
