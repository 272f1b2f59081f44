/**
 * Comment themes: the words and two-word phrases people write about, with what each costs (or earns) in
 * NPS points ("what do detractors complain about, and what does it cost us?").
 *
 * Tokens: text is NFKC-normalised and lowercased, cut into clauses at punctuation (a phrase never spans a
 * full stop or a comma), then into runs of letters and digits in any script. French and Italian elisions
 * (`l'`, `d'` …) are stripped; English contractions stay whole (and are stop words). Runs in scripts
 * written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) are cut into words by ICU's
 * dictionary word breaker (`Intl.Segmenter`). Stop words are dropped for en, de, fr, es, it, pt, nl, pl,
 * sv (plus a few Chinese and Japanese particles); negations such as "not", "nicht", "pas" are kept,
 * because "not working" is a theme. Latin words are then folded and lightly stemmed, so spellings meet:
 * ä ö ü → ae oe ue and ß → ss (German's own transliteration: "Rückgabe" and "Rueckgabe" meet), other
 * accents dropped (é → e); a plural -s after a consonant or e goes (-ies → -y, -sses/-shes/-ches/-xes
 * lose -es: "errors" → "error"), and German -ungen → -ung ("Rechnungen" → "rechnung"). Words of one
 * letter outside the unspaced scripts and pure numbers are dropped. Phrases are two adjacent kept words
 * of the same clause.
 *
 * Figures (see {@link ThemeCounter.themes}): per term the category counts of the answers whose comment
 * mentions it; `impact` from `themeImpact` in @npskit/shared; `lift` = share among the category's
 * comments / max(share among the other comments, 1%), so it reads as "n times as common" and is at most
 * 100 × the share.
 *
 * @example
 * const themes = new ThemeCounter()
 * themes.add('Checkout is slow', 2); themes.add('Love it', 10)
 * themes.themes({ category: 'detractor', limit: 10, minCount: 1, all }) // [{ term: 'checkout', impact: … }, …]
 */

import { setImmediate as nextTurn } from 'node:timers/promises'
import { type Category, type CategoryCounts, classify, themeImpact } from '@npskit/shared'

/**
 * Longest stretch of counting before other requests get their turn: a long comment costs about a
 * millisecond, and 4,000 of them counted at once held the server for seconds.
 */
const SLICE_MS = 10

const STOP_WORDS: Record<string, string> = {
  en: `a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't could couldn't did didn't do does doesn't doing don't down during
    each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's
    hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    let's me more most mustn't my myself of off on once only or other ought our ours ourselves out over
    own same shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this those
    through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's
    when when's where where's which while who who's whom why why's with won't would wouldn't you you'd
    you'll you're you've your yours yourself yourselves also just really get got im ive dont cant its
    will one would much many even still well`,
  de: `aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch
    auf aus bei bin bis bist da damit dann das dass dem den denn der des dich dir du durch ein eine einem
    einen einer eines er es etwas euch euer eure für hab habe haben hat hatte hatten hier hin hinter ich
    ihm ihn ihnen ihr ihre im in ins ist ja jede jedem jeden jeder jedes jetzt kann können könnte man
    manche mein meine mich mir mit muss musste nach nun nur ob oder ohne sehr sein seine selbst sich sie
    sind so solche soll sollte sondern sonst über um und uns unser unter viel vom von vor war waren
    warum was weil welche wenn werde werden wie wieder will wir wird wirklich wo wollen würde zu zum zur
    zwar zwischen immer schon mal noch`,
  fr: `à au aux avec ce ces c'est cet cette dans de des du elle elles en est et été être eu il ils je la
    le les leur leurs lui ma mais me même mes moi mon nous on ont ou où par pour qu que qui sa se ses son
    sont sur ta te tes toi ton tu un une vos votre vous y a ai as avons avez était étais suis es sommes
    êtes très tout tous toute toutes aussi bien fait faire comme cela ça donc alors si`,
  es: `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
    él ella ellas ellos en entre era es esa esas ese eso esos esta está están estas este esto estos fue
    fueron ha han hay la las le les lo los más me mi mis muy nos nuestra nuestro o os otra otro para pero
    poco por porque que quien se ser si sí sin sobre son su sus también te tiene tienen todo todos tu tus
    un una uno unos y ya yo muy bien`,
  it: `a ad al alla alle allo agli ai anche che chi ci come con da dal dalla dei del della delle dello
    di e è ed era gli ha hanno ho i il in io la le lei li lo loro lui ma mi mia mio ne nei nel nella noi
    o per più perché poi quale quando quello questa questo se si sia sono su sua suo sul sulla ti tra
    tu tutto tutti un una uno voi molto sempre ancora stato essere fatto`,
  pt: `a à ao aos as às com como da das de dela dele do dos e é ela ele eles em entre era essa esse esta
    este eu foi for há isso isto já la lhe mais me meu minha muito na nas no nos nós o os ou para pela
    pelo por quando que quem se sem ser seu sua são também te tem ter tu um uma umas uns você vocês
    está estão estou bem`,
  nl: `aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een
    eens en er ge geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je
    kan kon kunnen maar me meer men met mij mijn moet na naar nog nu of om omdat ons ook op over reeds
    te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wil worden
    wordt zal ze zelf zich zij zijn zo zou heel erg`,
  pl: `a aby ale bardzo bez bo być był była było były będzie ci co czy dla do go i ich ja jak jako jest
    jeszcze jej jego już ku lub ma mi mnie mną mu na nad nam nas o od oraz po pod przez przy się są ta
    tak tam te tego tej też to tu ty tym u w we więc z za ze że żeby jestem mam bardzo`,
  sv: `alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina
    ditt du där då efter ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom
    hur här i icke in inom jag ju kan man med mellan men mig min mina mitt mot mycket na någon något
    några och om oss på samma sedan sig sin sina sitta själv skulle som så sådan till under upp ut utan
    vad var vara varför varit varje vars vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt över`,
  // Particles and pronouns only; ICU's word breaker already keeps compounds together.
  cjk: `的 了 是 在 我 你 他 她 它 们 我们 这 那 和 也 就 都 很 吗 呢 吧 啊 有 个 一个 の は が を に で と も た て です ます
    する し いる ある この その それ これ から まで よ ね か な だ`,
}

/** Negations carry the meaning of a complaint, so no language's list may drop them. */
const NEGATIONS = new Set(
  `not no never nothing nicht kein keine nie nichts pas ne jamais rien non nunca nada nessuno mai não
   nem niet geen nooit nie nigdy inte aldrig ingen`.split(/\s+/),
)

export const STOP_WORD_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'sv'] as const

const stopWords = new Set(
  Object.values(STOP_WORDS)
    .flatMap((list) => list.split(/\s+/))
    .filter((word) => word.length > 0 && !NEGATIONS.has(word)),
)

/** French and Italian articles and prepositions that elide onto the next word. */
const ELISIONS = new Set(
  'l d j m n s t c qu jusqu lorsqu puisqu quoiqu dell all dall nell sull un quest quell po'.split(' '),
)

const CLAUSE_BREAK = /[.,;:!?¡¿()[\]{}"«»“”„‟…\n\r\t/\\|·•。、，；：！？（）「」『』【】]+/u
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:'[\p{L}\p{N}\p{M}]+)*/gu
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u
const DIGITS_ONLY = /^\p{N}+$/u

let segmenter: Intl.Segmenter | undefined

function segmentWords(run: string): string[] {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' })
  const words: string[] = []
  for (const part of segmenter.segment(run)) if (part.isWordLike) words.push(part.segment)
  return words
}

function keep(token: string): boolean {
  if (stopWords.has(token) || DIGITS_ONLY.test(token)) return false
  return token.length > 1 || UNSPACED_SCRIPT.test(token)
}

const LATIN_WORD = /^[\p{Script=Latin}\p{M}']+$/u
const GERMAN_FOLDS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' }

/** Folds and lightly stems a kept Latin word (see the module comment); other scripts stay as they are. */
export function normalizeWord(word: string): string {
  if (!LATIN_WORD.test(word)) return word
  let w = word
    .replace(/[äöüß]/g, (c) => GERMAN_FOLDS[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
  if (w.length < 4) return w
  if (w.endsWith('ungen')) return w.slice(0, -2)
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`
  if (/(?:ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2)
  if (/[bcdfgklmnprtvwze]s$/.test(w) && !w.endsWith('ss')) w = w.slice(0, -1)
  return w
}

/** The words of a text, kept and normalised, clause by clause. */
function clausesOf(comment: string): string[][] {
  return spelledClausesOf(comment).map((run) => run.map(([word]) => word))
}

/** clausesOf with each word's spelling as written (lowercased): [normalised, as written]. */
function spelledClausesOf(comment: string): [word: string, written: string][][] {
  const clauses: [string, string][][] = []
  const text = comment
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
  for (const clause of text.split(CLAUSE_BREAK)) {
    let run: [string, string][] = []
    for (const match of clause.matchAll(TOKEN)) {
      let token = match[0]
      const apostrophe = token.indexOf("'")
      if (apostrophe > 0 && ELISIONS.has(token.slice(0, apostrophe))) token = token.slice(apostrophe + 1)
      const words = UNSPACED_SCRIPT.test(token) ? segmentWords(token) : [token]
      for (const word of words) {
        if (!keep(word)) {
          // A dropped word breaks a phrase: "slow and buggy" makes no "slow buggy".
          if (run.length > 0) clauses.push(run)
          run = []
          continue
        }
        run.push([normalizeWord(word), word])
      }
    }
    if (run.length > 0) clauses.push(run)
  }
  return clauses
}

/**
 * The terms of one comment: its kept words and two-word phrases, each once.
 *
 * @example
 * termsOf("L'appli est lente. Not working!") // Set { 'appli', 'lente', 'appli lente', 'not', 'working', 'not working' }
 */
export function termsOf(comment: string): Set<string> {
  return new Set(spelledTermsOf(comment).keys())
}

/** The terms of one comment, each with its first spelling as written ('stuerzt' → 'stürzt'). */
function spelledTermsOf(comment: string): Map<string, string> {
  const terms = new Map<string, string>()
  const add = (term: string, written: string) => {
    if (!terms.has(term)) terms.set(term, written)
  }
  for (const run of spelledClausesOf(comment)) {
    run.forEach(([word, written], i) => {
      add(word, written)
      if (i > 0) {
        const [previous, previousWritten] = run[i - 1]!
        const unspaced = UNSPACED_SCRIPT.test(word)
        add(
          unspaced ? previous + word : `${previous} ${word}`,
          unspaced ? previousWritten + written : `${previousWritten} ${written}`,
        )
      }
    })
  }
  return terms
}

/** A dictionary spelling as a term: its normalised words joined by a space; null when nothing is kept. */
export function termOfSpelling(spelling: string): string | null {
  const words = clausesOf(spelling).flat()
  return words.length === 0 || words.length > 2 ? null : words.join(' ')
}

/** A phrase absorbs one of its words when the phrase is in at least this share of the word's mentions. */
export const ABSORB_SHARE = 0.6
/** The other comments' share under a lift is at least this, so a lift is at most 100 × the share. */
export const LIFT_FLOOR = 0.01
/** Examples per theme, and the characters each keeps (longer ones end in "…"). */
export const MAX_EXAMPLES = 3
export const MAX_EXAMPLE_LENGTH = 280
/** Comments read per theme for its label's spelling. */
export const LABEL_READS = 200

export interface Theme {
  /** The normalised term (what /themes/trend and the dictionary match on). */
  term: string
  /**
   * The term as the category's comments write it most often (lowercased: "stürzt ab" where the term is
   * "stuerzt ab", "errors" for "error"), among up to LABEL_READS of them; a dictionary theme's name.
   */
  label: string
  /** `dictionary`: a theme of the survey's settings; `discovered`: a word or phrase of the comments. */
  source: 'dictionary' | 'discovered'
  /** Comments in the category that mention the term. */
  count: number
  /** count / comments in the category */
  share: number
  /** share / max(share among the other comments, LIFT_FLOOR) */
  lift: number
  /** Answers of every category whose comment mentions the term. */
  mentions: number
  /** NPS of all answers of the filter − NPS of those whose comment does not mention the term, in points. */
  impact: number | null
  /** Delta-method 95% interval of impact. */
  impactCi95: [number, number] | null
  /** NPS of the answers that mention the term. */
  npsMentioning: number | null
  /** Words (or dictionary spellings) counted under this theme and not listed on their own. */
  absorbed: string[]
  /** Up to MAX_EXAMPLES distinct comments of the category that mention it, newest first. */
  examples: string[]
}

const INDEX: Record<Category, 0 | 1 | 2> = { promoter: 0, passive: 1, detractor: 2 }

interface Read {
  comment: string
  category: Category
  terms: Set<string>
}

/**
 * Counts, per term, the categories of the answers whose comment mentions it, then ranks the terms of
 * one category by what they cost: see {@link ThemeCounter.themes}.
 */
export class ThemeCounter {
  readonly #counts = new Map<string, [number, number, number]>()
  readonly #read: Read[] = []
  readonly #dictionary = new Map<string, Set<string>>()
  readonly #perCategory: [number, number, number] = [0, 0, 0]

  /** `dictionary`: theme name → spellings (see themeSettingsSchema in @npskit/shared). */
  constructor(dictionary: Record<string, readonly string[]> = {}) {
    for (const [name, spellings] of Object.entries(dictionary)) {
      const terms = new Set<string>()
      for (const spelling of spellings) {
        const term = termOfSpelling(spelling)
        if (term !== null) terms.add(term)
      }
      if (terms.size > 0) this.#dictionary.set(name, terms)
    }
  }

  /** Comments counted in `category`. */
  commentsIn(category: Category): number {
    return this.#perCategory[INDEX[category]]
  }

  /** Adds one comment with its answer's score; comments arrive newest first. */
  add(comment: string, score: number): void {
    const category = classify(score)
    const i = INDEX[category]
    this.#perCategory[i]++
    const terms = termsOf(comment)
    for (const [name, spellings] of this.#dictionary) {
      for (const spelling of spellings) {
        if (terms.has(spelling)) {
          terms.add(`\u0000${name}`)
          break
        }
      }
    }
    for (const term of terms) {
      let counts = this.#counts.get(term)
      if (counts === undefined) {
        counts = [0, 0, 0]
        this.#counts.set(term, counts)
      }
      counts[i]++
    }
    this.#read.push({ comment, category, terms })
  }

  /** Adds many comments in slices of at most SLICE_MS, yielding to the event loop between slices. */
  async addAll(comments: Iterable<{ comment: string; score: number }>): Promise<void> {
    let slice = performance.now()
    for (const { comment, score } of comments) {
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn()
        slice = performance.now()
      }
      this.add(comment, score)
    }
  }

  /**
   * The themes of `category`, with `all` the category counts of every answer of the filter (with or
   * without a comment). A term is a theme when at least `minCount` of the category's comments mention it
   * and, if discovered, its lift is above 1; dictionary themes need only `minCount`. Then, in order:
   * a dictionary theme absorbs the discovered terms that are its spellings; a discovered phrase absorbs
   * each of its words whose mentions in the category it covers by at least ABSORB_SHARE (the word is
   * then not listed); a word with no such phrase stays; two phrases sharing a word and mostly written
   * together merge into the commoner (see #mergeSiblings). Sorted by impact toward the category — for
   * detractors and passives the most points lost first, for promoters the most won first — then by
   * count, then by term.
   */
  themes(options: { category: Category; limit: number; minCount: number; all: CategoryCounts }): Theme[] {
    const ci = INDEX[options.category]
    const inside = this.#perCategory[ci]
    const outside = this.#perCategory[0] + this.#perCategory[1] + this.#perCategory[2] - inside
    const candidates = new Map<string, { key: string; source: Theme['source']; absorbed: string[] }>()
    for (const [key, counts] of this.#counts) {
      if (counts[ci] < options.minCount) continue
      const dictionary = key.startsWith('\u0000')
      if (!dictionary && !(this.#lift(counts, ci, inside, outside) > 1)) continue
      candidates.set(key, { key, source: dictionary ? 'dictionary' : 'discovered', absorbed: [] })
    }
    for (const [name, spellings] of this.#dictionary) {
      const theme = candidates.get(`\u0000${name}`)
      if (!theme) continue
      for (const spelling of spellings) {
        if (candidates.delete(spelling) || this.#counts.has(spelling)) theme.absorbed.push(spelling)
      }
    }
    const absorbedWords = new Set<string>()
    for (const theme of candidates.values()) {
      if (theme.source !== 'discovered' || !theme.key.includes(' ')) continue
      const count = this.#counts.get(theme.key)![ci]
      for (const word of theme.key.split(' ')) {
        if (!candidates.has(word) || candidates.get(word)!.source !== 'discovered') continue
        if (count >= ABSORB_SHARE * this.#counts.get(word)![ci]) {
          theme.absorbed.push(word)
          absorbedWords.add(word)
        }
      }
    }
    for (const word of absorbedWords) candidates.delete(word)
    this.#mergeSiblings(candidates, ci)

    const direction = options.category === 'promoter' ? -1 : 1
    const themes: Theme[] = [...candidates.values()].map(({ key, source, absorbed }) => {
      const counts = this.#counts.get(key)!
      const mentioning = { promoters: counts[0], passives: counts[1], detractors: counts[2] }
      const impact = themeImpact(mentioning, options.all)
      const share = inside === 0 ? 0 : counts[ci] / inside
      return {
        term: source === 'dictionary' ? key.slice(1) : key,
        label: source === 'dictionary' ? key.slice(1) : key,
        source,
        count: counts[ci],
        share,
        lift: this.#lift(counts, ci, inside, outside),
        mentions: counts[0] + counts[1] + counts[2],
        impact: impact.impact,
        impactCi95: impact.ci95,
        npsMentioning: impact.npsMentioning,
        absorbed,
        examples: [],
      }
    })
    themes.sort(
      (a, b) =>
        (a.impact === null ? 1 : 0) - (b.impact === null ? 1 : 0) ||
        direction * ((a.impact ?? 0) - (b.impact ?? 0)) ||
        b.count - a.count ||
        (a.term < b.term ? -1 : a.term > b.term ? 1 : 0),
    )
    const top = themes.slice(0, options.limit)
    this.#fillExamples(top, options.category)
    this.#fillLabels(top, options.category)
    return top
  }

  /** Each discovered theme's most common spelling in the category's comments, newest first on a tie. */
  #fillLabels(themes: Theme[], category: Category): void {
    const open = new Map(themes.filter((t) => t.source === 'discovered').map((t) => [t.term, t]))
    const spellings = new Map<string, Map<string, number>>()
    const reads = new Map<string, number>()
    for (const read of this.#read) {
      if (open.size === 0) break
      if (read.category !== category || ![...open.keys()].some((term) => read.terms.has(term))) continue
      const written = spelledTermsOf(read.comment)
      for (const term of [...open.keys()]) {
        const spelling = written.get(term)
        if (spelling === undefined) continue
        const counts = spellings.get(term) ?? new Map<string, number>()
        spellings.set(term, counts)
        counts.set(spelling, (counts.get(spelling) ?? 0) + 1)
        const n = (reads.get(term) ?? 0) + 1
        reads.set(term, n)
        if (n >= LABEL_READS) open.delete(term)
      }
    }
    for (const theme of themes) {
      const counts = spellings.get(theme.term)
      if (!counts) continue
      let best = theme.term
      let most = 0
      for (const [spelling, n] of counts) {
        if (n > most) [best, most] = [spelling, n]
      }
      theme.label = best
    }
  }

  /**
   * Two discovered phrases that share a word and are mostly written together ("checkout page" and "page
   * freezes" from "the checkout page freezes") are one complaint: when the comments that mention both are
   * at least ABSORB_SHARE of the rarer one's, the commoner absorbs it (and what it absorbed).
   */
  #mergeSiblings(
    candidates: Map<string, { key: string; source: Theme['source']; absorbed: string[] }>,
    ci: number,
  ): void {
    const phrases = new Set(
      [...candidates.values()]
        .filter((t) => t.source === 'discovered' && t.key.includes(' '))
        .map((t) => t.key),
    )
    if (phrases.size < 2) return
    const together = new Map<string, { a: string; b: string; n: number }>()
    const category = (['promoter', 'passive', 'detractor'] as const)[ci]
    for (const read of this.#read) {
      if (read.category !== category) continue
      const present = [...read.terms].filter((term) => phrases.has(term)).sort()
      for (let i = 0; i < present.length; i++) {
        const words = present[i]!.split(' ')
        for (let j = i + 1; j < present.length; j++) {
          if (!present[j]!.split(' ').some((word) => words.includes(word))) continue
          const pair = `${present[i]}\u0000${present[j]}`
          const seen = together.get(pair) ?? { a: present[i]!, b: present[j]!, n: 0 }
          seen.n++
          together.set(pair, seen)
        }
      }
    }
    const count = (term: string) => this.#counts.get(term)?.[ci] ?? 0
    for (const { a, b, n } of [...together.values()].sort((x, y) => y.n - x.n)) {
      const head = candidates.get(a)
      const sibling = candidates.get(b)
      if (!head || !sibling || n < ABSORB_SHARE * Math.min(count(a), count(b))) continue
      const [keeper, merged] = count(b) > count(a) ? [sibling, head] : [head, sibling]
      for (const term of [merged.key, ...merged.absorbed]) {
        if (!keeper.absorbed.includes(term)) keeper.absorbed.push(term)
      }
      candidates.delete(merged.key)
    }
  }

  #lift(counts: readonly number[], ci: number, inside: number, outside: number): number {
    const share = inside === 0 ? 0 : counts[ci]! / inside
    const others = counts[0]! + counts[1]! + counts[2]! - counts[ci]!
    return share / Math.max(outside === 0 ? 0 : others / outside, LIFT_FLOOR)
  }

  /** The newest comments of the category that mention each theme, cut to MAX_EXAMPLE_LENGTH. */
  #fillExamples(themes: Theme[], category: Category): void {
    const wanted = new Map(themes.map((t) => [t.source === 'dictionary' ? `\u0000${t.term}` : t.term, t]))
    let open = themes.length
    for (const read of this.#read) {
      if (open === 0) break
      if (read.category !== category) continue
      for (const term of read.terms) {
        const theme = wanted.get(term)
        if (!theme || theme.examples.length >= MAX_EXAMPLES) continue
        const whole = read.comment.trim()
        const text =
          whole.length > MAX_EXAMPLE_LENGTH ? `${whole.slice(0, MAX_EXAMPLE_LENGTH - 1).trimEnd()}…` : whole
        // Three copies of one complaint say less than three complaints.
        if (theme.examples.includes(text)) continue
        theme.examples.push(text)
        if (theme.examples.length === MAX_EXAMPLES) open--
      }
    }
  }
}

/**
 * Whether a comment mentions `theme`: a dictionary theme of that name when the survey has one (any of
 * its spellings), else the term itself after normalisation. Null when the theme normalises to nothing.
 */
export function themeMatcher(
  theme: string,
  dictionary: Record<string, readonly string[]> = {},
): ((comment: string) => boolean) | null {
  const spellings = Object.hasOwn(dictionary, theme) ? dictionary[theme]! : [theme]
  const terms = spellings.map(termOfSpelling).filter((t): t is string => t !== null)
  if (terms.length === 0) return null
  return (comment) => {
    const found = termsOf(comment)
    return terms.some((t) => found.has(t))
  }
}
