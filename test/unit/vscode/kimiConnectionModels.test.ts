import * as assert from 'node:assert/strict';
import type * as KimiConnectionModule from '../../../src/vscode/kimiConnection';
import { parseSettings } from '../../../src/core/config/settings';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import { installVscodeStub } from '../helpers/vscodeStub';

const settings = parseSettings({ get: () => undefined, userValue: () => undefined }, {});

describe('Kimi connection: the /models look-up', () => {
  let connectionMod: typeof KimiConnectionModule;
  let uninstallStub: () => void;
  before(() => {
    uninstallStub = installVscodeStub();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the stub is in place
    connectionMod = require('../../../src/vscode/kimiConnection') as typeof KimiConnectionModule;
  });
  after(() => uninstallStub());

  /** A connection whose settings, key store and log are stand-ins (no key, no notifications). */
  function newConnection(): KimiConnectionModule.KimiConnection {
    const event = () => ({ dispose: () => undefined });
    return new connectionMod.KimiConnection(
      { current: settings, onDidChange: event } as never,
      { onDidChange: event } as never,
      {} as never,
      { warn: () => undefined, info: () => undefined } as never,
      {} as never,
    );
  }

  it('the /models look-up is aborted when the only turn waiting on it stops, and asked again next time', async () => {
    const connection = newConnection();
    const signals: AbortSignal[] = [];
    const client = {
      listModels: (signal: AbortSignal) => {
        signals.push(signal);
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new KimiError('cancelled', 'x'))));
      },
    };
    const stop = new AbortController();
    const waiting = connection.modelList(client as never, stop.signal);
    stop.abort();
    await assert.rejects(waiting, (e: unknown) => KimiError.is(e, 'cancelled'));
    assert.equal(signals[0].aborted, true, 'the HTTP look-up was aborted');
    const again = connection.modelList(client as never, AbortSignal.timeout(10));
    await assert.rejects(again);
    assert.equal(signals.length, 2, 'a new look-up after the aborted one');
    connection.dispose();
  });

  it('hands the settled /models answer to synchronous readers (the context budget), and nothing before it settles', async () => {
    const connection = newConnection();
    const served = [{ id: 'kimi-k2.6', contextLength: 32_768 }];
    let answer: (models: typeof served) => void = () => undefined;
    const client = { listModels: () => new Promise<typeof served>((resolve) => (answer = resolve)) };
    assert.equal(connection.listedModels(), undefined, 'no look-up yet');
    const listing = connection.modelList(client as never);
    assert.equal(connection.listedModels(), undefined, 'asked, not answered');
    answer(served);
    await listing;
    assert.deepEqual(connection.listedModels(), served);
    connection.dispose();
  });
});
