// signalkit — ESM entry for Node, browsers and bundlers.
//
//   import { loadEngine } from 'signalkit';
//   const engine = await loadEngine();
//   engine.validate('puffle.signalType.create', body);   // { valid, issues, json }
//
// This file only names the public exports; each lives in its own module (engine loading
// in load.js, the clients in puffle/ and saber/, the error classes in errors.js, the
// in-process rate-limit store in client/ratelimit.js).
export { loadEngine } from './load.js';
export {
  ValidationError, SignalkitError, ApiError, AuthenticationError, PermissionError, NotFoundError,
  ConflictError, PreconditionError, RateLimitError, ServerError, TimeoutError, NetworkError,
  AbortError, GenerationTimeoutError, OnboardingTimeoutError, OnboardingFailedError, ResearchTimeoutError,
  SignalWaitTimeoutError,
} from './errors.js';
export { PuffleClient } from './puffle/index.js';
export { SaberClient } from './saber/index.js';
export { signalAnswer } from './saber/answers.js';
export { MAX_BODY_BYTES, MAX_DEPTH } from './engine.js';
export { memoryStore } from './client/ratelimit.js';
