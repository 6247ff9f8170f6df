import { startSimulator } from './kimiSimulator';
import { DEFAULT_MODELS, describeModel, K3_1_PRO_MODELS } from './simModels';

/**
 * `npm run simulator`: the Kimi simulator on a fixed port for manual testing of the extension.
 * Env: PORT (default 8787), SIM_API_KEY (default sk-sim-test-key), SIM_ACCEPT_ANY_KEY=1,
 * SIM_K31_PRO=1 (also serve kimi-k3.1-pro and -highspeed), SIM_FLAVOR=vllm (a self-hosted
 * vLLM / SGLang server instead of Moonshot's API).
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  const models = process.env.SIM_K31_PRO === '1' ? [...DEFAULT_MODELS, ...K3_1_PRO_MODELS] : DEFAULT_MODELS;
  const sim = await startSimulator({
    port,
    models,
    flavor: process.env.SIM_FLAVOR === 'vllm' ? 'vllm' : 'official',
    apiKey: process.env.SIM_API_KEY || undefined,
    acceptAnyKey: process.env.SIM_ACCEPT_ANY_KEY === '1',
    onResponse: (req) => {
      const how = req.closedByClient ? ' (closed by client)' : req.cutByServer ? ' (cut)' : '';
      console.log(`${new Date(req.time).toISOString()} ${req.method} ${req.path} -> ${req.status ?? '-'}${how}`);
    },
  });
  console.log(`Kimi simulator (${sim.flavor}) listening on ${sim.baseUrl}`);
  console.log('Models (GET /v1/models):');
  for (const model of models) {
    console.log(`  ${describeModel(model)}`);
  }
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
