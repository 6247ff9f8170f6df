// The environment both launchers give the extension host under test: the Kimi simulator's address
// (the suite starts the simulator on that port inside the extension host), and no real key: a
// developer's MOONSHOT_API_KEY must never reach a test run.
import { freePort } from './processes';

export async function suiteEnvironment(): Promise<Record<string, string>> {
  const simPort = await freePort();
  return {
    MOONPILOT_SIM_PORT: String(simPort),
    MOONSHOT_BASE_URL: `http://127.0.0.1:${simPort}/v1`,
    MOONSHOT_API_KEY: '',
  };
}
