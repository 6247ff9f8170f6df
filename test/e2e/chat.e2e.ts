// The chat view as a user sees it: thinking first, then the answer; Stop closes the request.
import * as assert from 'assert';
import { requestText } from '../support/simulator/scriptBook';
import { e2e } from './e2eContext';
import { runCommand, visibleWebview } from './workbench';

describe('chat view', () => {
  it('shows the Thinking section, then the answer', async () => {
    const { page, screenshot } = e2e();
    await runCommand(page, 'Moonpilot: Focus on Chat View');
    const chat = visibleWebview(page);
    const input = chat.getByLabel('Ask Moonpilot');
    await input.waitFor();
    await input.fill('How does the cart compute its total?');
    await chat.getByRole('button', { name: 'Send' }).click();

    const turn = chat.locator('article.turn').last();
    const thinking = turn.locator('details.thinking');
    await thinking.locator('.reasoning', { hasText: 'The user asks: "How does the cart compute its total?"' }).waitFor();
    const answer = turn.locator('.md.answer');
    await answer.filter({ hasText: 'Scripted answer from the Kimi simulator' }).waitFor();
    await turn.and(chat.locator('article.turn:not(.streaming)')).waitFor();
    assert.match(await answer.innerText(), /formatPrice\(cart\.total\(\)\)/);
    assert.match(await thinking.locator('summary').innerText(), /^Thought for /);
    await screenshot('chat');
  });

  it('Stop ends the answer and closes the connection to the endpoint', async () => {
    const { page, sim, override, screenshot } = e2e();
    const marker = 'E2E-STOP';
    const remove = override((req) =>
      requestText(req).includes(marker) ? { reasoning: 'Weighing every option, slowly. '.repeat(200), content: 'never shown', chunkSize: 4, chunkDelayMs: 40 } : undefined,
    );
    try {
      const chat = visibleWebview(page);
      await chat.getByLabel('Ask Moonpilot').fill(`Think about this for a long time (${marker})`);
      await chat.getByRole('button', { name: 'Send' }).click();
      const request = await sim.waitForRequest((r) => requestText(r).includes(marker), 20_000);
      const turn = chat.locator('article.turn').last();
      await turn.locator('details.thinking .reasoning', { hasText: 'Weighing every option' }).waitFor();

      await chat.getByRole('button', { name: 'Stop' }).click();
      const closed = await sim.waitForClose(request, 10_000);
      assert.equal(closed.closedByClient, true, 'the simulator saw the client close the stream');
      assert.equal(closed.completed, false);
      await turn.locator('.stopped', { hasText: 'Stopped.' }).waitFor();
      await chat.getByRole('button', { name: 'Send' }).waitFor();
      assert.doesNotMatch(await turn.locator('.md.answer').innerText(), /never shown/);
      await screenshot('chat-stopped');
    } finally {
      remove();
    }
  });
});
