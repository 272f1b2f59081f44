/**
 * The one admission of metadata keys both engines share (Backend.admitMetadataKeys): what is already
 * known in memory is answered at once, anything else goes to the engine's registry in one transaction.
 *
 * A survey's registry only grows (until the survey is deleted), so a key once seen registered stays
 * registered, also when other collectors share the database: the answers of a survey whose keys have
 * settled cost no database work, and a survey known to hold `limit` keys refuses a new one without
 * asking. The memory is bounded by the surveys that exist, each by its registry.
 *
 * @example
 * const known = new KnownMetadataKeys()
 * // in an engine's admitMetadataKeys(surveyId, keys, limit):
 * return known.admit(surveyId, keys, limit, (missing) => registerInOneTransaction(surveyId, missing, limit))
 */
import type { Awaitable } from './backend.ts'

/** What an engine's registry answers: every key it holds now, and the keys it refused (none or all). */
export interface Registration {
  registered: readonly string[]
  refused: string[]
}

export class KnownMetadataKeys {
  readonly #known = new Map<string, Set<string>>()

  /**
   * The keys refused ([] when all are registered). `register` is called with the keys not known here,
   * and must add them all or none, atomically, as {@link Registration} says.
   */
  admit(
    surveyId: string,
    keys: readonly string[],
    limit: number | undefined,
    register: (missing: string[]) => Promise<Registration>,
  ): Awaitable<string[]> {
    const known = this.#known.get(surveyId)
    const missing = known ? keys.filter((key) => !known.has(key)) : [...new Set(keys)]
    if (missing.length === 0) return []
    if (known && limit !== undefined && known.size + missing.length > limit) return missing
    return register(missing).then(({ registered, refused }) => {
      let set = this.#known.get(surveyId)
      if (!set) {
        set = new Set()
        this.#known.set(surveyId, set)
      }
      for (const key of registered) set.add(key)
      return refused
    })
  }

  /** The survey is gone (or the data was replaced): whatever was known of it no longer holds. */
  forget(surveyId?: string): void {
    if (surveyId === undefined) this.#known.clear()
    else this.#known.delete(surveyId)
  }
}

/**
 * The registration rule both engines apply inside their transaction, given the registry as it is: all
 * of `missing` fits within `limit`, or none is added.
 */
export function registration(
  registered: readonly string[],
  missing: readonly string[],
  limit: number | undefined,
): { add: string[]; result: Registration } {
  const held = new Set(registered)
  const add = missing.filter((key) => !held.has(key))
  if (limit !== undefined && held.size + add.length > limit) {
    return { add: [], result: { registered, refused: add } }
  }
  return { add, result: { registered: [...registered, ...add], refused: [] } }
}
