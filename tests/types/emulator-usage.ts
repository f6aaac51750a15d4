// How a TypeScript test suite uses the emulator, checked by `tsc --noEmit -p tests/types`.
import { DEFAULT_QUOTAS, DEFAULT_RATE_LIMITS, devKeys, FAULT_TYPES, startEmulator, type EmulatorOptions } from 'signalkit/emulator';
import { PuffleClient } from 'signalkit';

async function usage(): Promise<void> {
  const options: EmulatorOptions = {
    port: 0,
    generateDelayMs: [50, 100],
    rateLimits: { puffle: { limit: 10, windowMs: 1000 }, saberWrite: { limit: 50 }, saber429Shape: 'plain' },
    faults: { seed: 1, rules: [] },
    logger: (level, message) => console.log(level, message),
    timeouts: { headersMs: 5000, idleMs: 1000 },
    maxConnections: 100,
    maxConnectionsPerClient: 20,
    quotas: { templates: 50, tenantBytes: DEFAULT_QUOTAS.tenantBytes / 2 },
    onboardingStepMs: 10,
    researchDelayMs: [20, 50],
    signalWebhooks: { retryScale: 0.001, maxLog: 100 },
    strictResponses: true,
    webhooks: { retryScale: 0.001, timeoutMs: 2000, maxLog: 100 },
  };
  const emu = await startEmulator(options);
  for (const v of emu.contractViolations) console.log(v.request, v.status, v.violations.map((x) => x.field));
  const puffle = new PuffleClient({ apiKey: emu.devKeys.puffle, baseUrl: emu.puffleBaseUrl });
  await puffle.signalTypes.list();
  const refused: number = emu.rateLimitLog().filter((e) => !e.ok && e.bucket === 'puffle').length;
  const perMinute: number = DEFAULT_RATE_LIMITS.puffle.limit + DEFAULT_RATE_LIMITS.saberRead.burst;
  const keys: { puffle: string; saber: string } = devKeys('seed');
  console.log(perMinute, keys, FAULT_TYPES.length, refused);
  // @ts-expect-error the buckets are puffle, saberWrite and saberRead
  await startEmulator({ rateLimits: { saber: { write: { perMinute: 10 } } } });
  // @ts-expect-error the quotas are templates, versions, generationRuns, tenantBytes, stateBytes
  await startEmulator({ quotas: { template: 5 } });
  // @ts-expect-error two 429 shapes, or alternating between them
  await startEmulator({ rateLimits: { saber429Shape: 'both' } });
  // @ts-expect-error the retry schedule is Svix's, scaled; not replaced
  await startEmulator({ webhooks: { schedule: [0, 1000] } });
  await emu.close();
}
void usage;
