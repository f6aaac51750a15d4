// The declarations in types/index.d.ts held to the OpenAPI documents: `generated/*.d.ts` is
// what openapi-typescript makes of schemas/openapi/*.json (npm run types:openapi, run first by
// npm run test:types; git-ignored). Each response and request type must equal the document's,
// so a field added, removed, renamed, made optional or nullable on either side fails tsc.
// Where our type is deliberately more precise than the document, the difference is named
// and our type must still fit inside the document's.
import type { components as puffle } from './generated/puffle.js';
import type { components as saber, operations as saberOps } from './generated/saber.js';
import type {
  PuffleContext, PuffleContextResponse, PuffleContextSet, PuffleEntity, PuffleEntityGroup, PuffleEntityPage,
  PuffleErrorCode, PuffleOnboardingSession, PuffleOnboardingStart, PuffleOnboardingStarted, PuffleOnboardingStatusResponse,
  PufflePagination, PufflePortalLink, PuffleProfile, PuffleSignal, PuffleSignalPage, PuffleSignalType,
  PuffleSignalTypeCreate, PuffleSignalTypeUpdate, PuffleSourceSetting, PuffleSourceUpdate, PuffleClient,
  QualificationCriteria, SaberAnswerType, SaberTemplate, SaberTemplateCreate, SaberTemplatePage, SaberTemplateUpdate,
  SaberWeight, SaberClient, SaberCompanySignal, SaberCompanySignalCreate, SaberCompanySignalPage, SaberCompanySignalQuery,
  SaberCompanySignalSource,
} from '../../types/index.js';
import type {
  ResearchCompleteData, ResearchCompleteEvent, ResearchFailedData, ResearchFailedEvent, SignalDetectedData, SignalDetectedEvent,
} from '../../types/webhooks.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Fits<A, B> = [A] extends [B] ? true : false;
/**
 * Same shape, for types compared after leaving some keys out (TypeScript's identity check
 * also compares the type arguments of Omit<>): each assignable to the other (so no field is
 * missing, and optional or nullable on one side only; exactOptionalPropertyTypes is on),
 * and the same keys.
 */
type Same<A, B> = Fits<A, B> extends true ? Fits<B, A> extends true ? Equals<keyof A, keyof B> : false : false;
type P = puffle['schemas'];
type S = saber['schemas'];
function same<T extends true>(): void {}

// ------------------------------------------------------------------ Puffle responses
same<Equals<PuffleSignalType, P['SignalType']>>();
same<Equals<PuffleSourceSetting, P['SourceSetting']>>();
same<Equals<{ sources: PuffleSourceSetting[] }, P['SourceSettingList']>>();
same<Equals<{ signal_types: PuffleSignalType[] }, P['SignalTypeList']>>();
same<Equals<PuffleEntity, P['Entity']>>();
same<Equals<PuffleSignal, P['Signal']>>();
same<Equals<PuffleEntityGroup, P['EntityGroup']>>();
same<Equals<PufflePagination, P['Pagination']>>();
same<Equals<PuffleSignalPage, P['SignalPage']>>();
same<Equals<PuffleEntityPage, P['EntityPage']>>();
same<Equals<PuffleOnboardingStarted, P['OnboardingStarted']>>();
same<Equals<PuffleOnboardingSession, P['OnboardingSession']>>();
same<Equals<PuffleOnboardingStatusResponse, P['OnboardingStatus']>>();
same<Equals<PuffleContext, P['CompanyContext']>>();
same<Equals<PuffleProfile, P['CompanyProfile']>>();
same<Equals<PuffleContextResponse, P['ContextResponse']>>();
same<Equals<PufflePortalLink, P['PortalLink']>>();
same<Equals<PuffleErrorCode, P['ErrorCode']>>();

// What each client method resolves to is the documented 2xx body.
type Resolved<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;
type Client = InstanceType<typeof PuffleClient>;
same<Equals<Resolved<Client['signalTypes']['generate']>, P['GenerationRun']>>();
same<Equals<Resolved<Client['signals']['dismiss']>, P['Success']>>();
same<Equals<Resolved<Client['signals']['feedback']>, P['Success']>>();
same<Equals<Resolved<Client['onboarding']['start']>, P['OnboardingStarted']>>();
same<Equals<Resolved<Client['onboarding']['status']>, P['OnboardingStatus']>>();
same<Equals<Resolved<Client['context']['get']>, P['ContextResponse']>>();
same<Equals<Resolved<Client['context']['set']>, P['ContextResponse']>>();
same<Equals<Resolved<Client['partners']['portal']>, P['PortalLink']>>();
same<Equals<Resolved<Client['signalTypes']['delete']>, void>>(); // 204: no body

// ------------------------------------------------------------------ Puffle requests
same<Equals<PuffleSignalTypeCreate, P['puffle.signalType.create']>>();
same<Equals<PuffleSourceUpdate, P['puffle.signalTypeSource.update']>>();
same<Equals<PuffleOnboardingStart, P['puffle.onboarding.start']>>();
same<Equals<PuffleContextSet, P['puffle.context.set']>>();
// The update's config is typed as the object it is (the schema says object or null).
same<Same<Omit<PuffleSignalTypeUpdate, 'config'>, Omit<P['puffle.signalType.update'], 'config'>>>();
same<Fits<PuffleSignalTypeUpdate['config'], P['puffle.signalType.update']['config']>>();

// ------------------------------------------------------------------ Puffle webhook events
// What a receiver gets is the documented envelope plus `id`, the delivery's svix-id. The
// signal's `source` names the known ids (PuffleSource | string: the same set of values).
same<Same<SignalDetectedData, P['SignalDetectedData']>>();
same<Equals<ResearchCompleteData, P['ResearchCompleteData']>>();
same<Equals<ResearchFailedData, P['ResearchFailedData']>>();
same<Same<Omit<SignalDetectedEvent, 'id'>, P['SignalDetectedEvent']>>();
same<Same<Omit<ResearchCompleteEvent, 'id'>, P['ResearchCompleteEvent']>>();
same<Same<Omit<ResearchFailedEvent, 'id'>, P['ResearchFailedEvent']>>();

// ------------------------------------------------------------------ Saber
// qualificationCriteria: the document says "an object shaped by answerType"; our type names
// the shapes. Everything else is equal.
type Precise = 'qualificationCriteria';
same<Same<Omit<SaberTemplate, Precise>, Omit<S['Template'], Precise>>>();
same<Fits<SaberTemplate[Precise], S['Template'][Precise]>>();
same<Same<Omit<SaberTemplatePage, 'items'>, Omit<S['TemplatePage'], 'items'>>>();
same<Equals<SaberAnswerType, S['answerType']>>();
same<Equals<SaberWeight, S['weight']>>();
same<Same<Omit<SaberTemplateCreate, Precise | 'outputSchema'>, Omit<S['saber.template.create'], Precise | 'outputSchema'>>>();
same<Same<Omit<SaberTemplateUpdate, Precise | 'outputSchema'>, Omit<S['saber.template.update'], Precise | 'outputSchema'>>>();
same<Fits<SaberTemplateCreate[Precise], S['saber.template.create'][Precise]>>();
same<Fits<QualificationCriteria, Record<string, unknown>>>();

// Company signals: the signal, its page, the create body and the list query are the document's.
same<Equals<SaberCompanySignal, S['CompanySignal']>>();
same<Equals<SaberCompanySignalSource, S['CompanySignalSource']>>();
same<Equals<SaberCompanySignalPage, S['CompanySignalPage']>>();
same<Equals<SaberCompanySignalCreate, S['saber.companySignal.create']>>();
same<Same<SaberCompanySignalQuery, NonNullable<saberOps['listCompanySignals']['parameters']['query']>>>();
type Body<Op extends keyof saberOps, Status extends keyof saberOps[Op]['responses']> =
  saberOps[Op]['responses'][Status] extends { content: { 'application/json': infer B } } ? B : never;
type Saber = InstanceType<typeof SaberClient>;
same<Equals<Resolved<Saber['signals']['get']>, Body<'getCompanySignal', 200>>>();
same<Equals<Resolved<Saber['signals']['create']>, Body<'createCompanySignal', 201>>>();
// sync resolves with the 200 (completed or failed) or the 202 (processing) signal: ours is the
// plain CompanySignal, into which both of the document's narrowed bodies fit.
same<Fits<Body<'createCompanySignalSync', 200> | Body<'createCompanySignalSync', 202>, Resolved<Saber['signals']['sync']>>>();
same<Equals<Resolved<Saber['signals']['waitFor']>, S['CompanySignal']>>();

// The checks bite: a type that differs from the document is not "same".
// @ts-expect-error a signal without created_at is not the documented Signal
same<Same<Omit<PuffleSignal, 'created_at'>, P['Signal']>>();
// @ts-expect-error a company signal without a required createdAt is not the documented one
same<Equals<Omit<SaberCompanySignal, 'createdAt'> & { createdAt?: string }, S['CompanySignal']>>();
// @ts-expect-error the delivery id is the receiver's, not part of the documented envelope
same<Same<SignalDetectedEvent, P['SignalDetectedEvent']>>();
// @ts-expect-error nullable is not optional
same<Equals<PufflePagination, { cursor?: string; has_more: boolean; count: number }>>();
