import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';

/**
 * One Kimi simulator for the enclosing `describe`: started before its tests, closed after them,
 * reset (requests, scripts, cache) before each. `use` receives it once it listens.
 */
export function simulatorPerSuite(use: (sim: KimiSimulator) => void): void {
  let sim: KimiSimulator | undefined;
  before(async () => {
    sim = await startSimulator();
    use(sim);
  });
  after(async () => {
    await sim?.close();
  });
  beforeEach(() => sim?.reset());
}
