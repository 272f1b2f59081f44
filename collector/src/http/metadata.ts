/**
 * Which metadata keys answers may bring to a survey: those its settings declare (`metadataKeys`), or,
 * without a declaration, any key until the survey collects LIMITS.surveyMetadataKeys distinct keys,
 * first come first kept. Anything else is refused (400 `invalid_body`, naming the keys) before the
 * answer or import is written, so no stranger can grow a survey's export by a column per request.
 *
 * @example
 * const admitted = admitMetadata(backend, survey, Object.keys(submission.metadata))
 * if (admitted) await admitted
 */
import { LIMITS } from '@npskit/shared'
import type { Backend, Survey } from '../backend/backend.ts'
import { ApiError } from './errors.ts'

const declaredSets = new WeakMap<readonly string[], Set<string>>()

/** The declared keys as a set, made once per settings object (surveys are cached, so once per change). */
function declaredOf(keys: readonly string[]): Set<string> {
  let set = declaredSets.get(keys)
  if (!set) {
    set = new Set(keys)
    declaredSets.set(keys, set)
  }
  return set
}

const list = (keys: readonly string[]) => keys.map((key) => `"${key}"`).join(', ')

/**
 * Refuses keys the survey may not collect, and registers the others (Backend.admitMetadataKeys).
 * Answers `undefined` without a turn of the event loop when every key is known (the usual case).
 */
export function admitMetadata(
  backend: Backend,
  survey: Survey,
  keys: readonly string[],
): Promise<void> | undefined {
  if (keys.length === 0) return undefined
  const declared = survey.settings.metadataKeys
  if (declared) {
    const allowed = declaredOf(declared)
    const other = keys.filter((key) => !allowed.has(key))
    if (other.length > 0) {
      throw new ApiError(
        400,
        'invalid_body',
        `metadata key${other.length === 1 ? '' : 's'} ${list(other)} ${other.length === 1 ? 'is' : 'are'} not collected by this survey; its metadataKeys are ${declared.length ? list(declared) : 'none'}`,
      )
    }
  }
  const refused = backend.admitMetadataKeys(survey.id, keys, declared ? undefined : LIMITS.surveyMetadataKeys)
  // A survey deleted meanwhile rejects with UnknownSurveyError, which the route answers as for its writes.
  return refused instanceof Promise ? refused.then(refusal) : refusal(refused)
}

function refusal(refused: string[]): undefined {
  if (refused.length === 0) return undefined
  throw new ApiError(
    400,
    'invalid_body',
    `metadata key${refused.length === 1 ? '' : 's'} ${list(refused)} refused: this survey already collects ${LIMITS.surveyMetadataKeys} metadata keys (or would with ${refused.length === 1 ? 'it' : 'them'}), the most it learns by itself; declaring metadataKeys in its settings chooses them`,
  )
}

/**
 * Refuses a read that names a metadata key the survey does not know — `by=metadata.<key>` or
 * `segment.<key>=` — with 400 `invalid_query` naming the parameter and listing the known keys: the ones
 * its settings declare and the ones its answers ever brought (the registry only grows). A typo such as
 * `by=metadata.agnet` would otherwise answer one group of everything, or `total: 0`, and look like data.
 * A value cannot be checked this way (any value may come tomorrow), so an unknown value still answers 0.
 * Costs a registry read only when the query names a key.
 *
 * @example
 * await refuseUnknownKeys(backend, survey, [...segmentKeys(query), ['by', 'plan']])
 */
export async function refuseUnknownKeys(
  backend: Pick<Backend, 'metadataKeys'>,
  survey: Survey,
  used: readonly (readonly [parameter: string, key: string])[],
): Promise<void> {
  if (used.length === 0) return
  const known = new Set([...(survey.settings.metadataKeys ?? []), ...(await backend.metadataKeys(survey.id))])
  const unknown = used.find(([, key]) => !known.has(key))
  if (!unknown) return
  const [parameter, key] = unknown
  const keys = [...known].sort()
  throw new ApiError(
    400,
    'invalid_query',
    `${parameter}: this survey has no metadata key "${key}"; its keys are ${keys.length ? list(keys) : 'none yet'}`,
    [{ path: parameter, message: `unknown metadata key "${key}"` }],
  )
}
