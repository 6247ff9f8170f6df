// The installed extension starts in the workbench and says where its answers come from.
import * as assert from 'assert';
import { e2e } from './e2eContext';
import { statusItem } from './workbench';

describe('installed moonpilot.vsix in the workbench', () => {
  it('activates and labels the local simulator in the status bar', async () => {
    const { page, sim } = e2e();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const endpoint = statusItem(page, 'moonpilot.moonpilot.moonpilot.endpoint');
    await endpoint.filter({ hasText: 'Kimi (simulator)' }).waitFor({ timeout: 60_000 });
    assert.match((await endpoint.getAttribute('aria-label')) ?? '', /local Kimi simulator at http:\/\/127\.0\.0\.1:\d+\/v1 \(from MOONSHOT_BASE_URL\)/);
    const models = sim.requests.find((r) => r.method === 'GET' && r.path === '/v1/models');
    assert.ok(models, 'the extension read /models from the simulator');
    assert.equal(models.headers.authorization, `Bearer ${sim.apiKey}`);
    await statusItem(page, 'moonpilot.moonpilot.moonpilot.completion').waitFor();
  });
});
