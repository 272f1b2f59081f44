/**
 * Comment themes: the words and two-word phrases that stand out in one category's comments against the
 * other categories' comments ("what do detractors complain about?").
 *
 * Tokens: text is lowercased and NFKC-normalised, cut into clauses at punctuation (a phrase never spans
 * a full stop or a comma), then into runs of letters and digits in any script. French and Italian
 * elisions (`l'`, `d'`, `dell'` …) are stripped; English contractions stay whole (and are stop words).
 * Runs in scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) are cut
 * into words by ICU's dictionary word breaker (`Intl.Segmenter`). Stop words are dropped for en, de, fr,
 * es, it, pt, nl, pl, sv (plus a few Chinese and Japanese particles); negations such as "not", "nicht",
 * "pas" are deliberately kept, because "not working" is a theme. Tokens of one letter outside those
 * scripts and pure numbers are dropped. Phrases are two adjacent kept tokens of the same clause.
 *
 * Figures: `count` is the number of the category's comments containing the term (once per comment),
 * `share` = count / comments in the category, and `lift` = share / share in the other categories, both
 * shares with add-one (Laplace) smoothing, (count + 1) / (comments + 2), so a term absent elsewhere gets
 * a large but finite lift. Terms rank by count × ln(lift): frequent and distinctive first; a term needs
 * `minCount` comments and a lift above 1.
 *
 * @example
 * const themes = new ThemeCounter()
 * themes.add('Checkout is slow', true); themes.add('Love it', false)
 * themes.terms({ limit: 10, minCount: 1 }) // [{ term: 'checkout', … }, { term: 'slow', … }, …]
 */
import { setImmediate as nextTurn } from 'node:timers/promises'

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

/**
 * The terms of one comment: its kept words and two-word phrases, each once.
 *
 * @example
 * termsOf("L'appli est lente. Not working!") // Set { 'appli', 'lente', 'appli lente', 'not', 'working', 'not working' }
 */
export function termsOf(comment: string): Set<string> {
  const terms = new Set<string>()
  const text = comment
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
  for (const clause of text.split(CLAUSE_BREAK)) {
    let previous: string | null = null
    for (const match of clause.matchAll(TOKEN)) {
      let token = match[0]
      const apostrophe = token.indexOf("'")
      if (apostrophe > 0 && ELISIONS.has(token.slice(0, apostrophe))) token = token.slice(apostrophe + 1)
      const words = UNSPACED_SCRIPT.test(token) ? segmentWords(token) : [token]
      for (const word of words) {
        if (!keep(word)) {
          previous = null
          continue
        }
        terms.add(word)
        if (previous !== null) terms.add(UNSPACED_SCRIPT.test(word) ? previous + word : `${previous} ${word}`)
        previous = word
      }
    }
  }
  return terms
}

export interface Theme {
  term: string
  /** Comments in the category that contain the term. */
  count: number
  /** count / comments in the category */
  share: number
  /** Smoothed share in the category over smoothed share in the other categories. */
  lift: number
}

/** Counts terms over the comments of a category and of the other categories, then ranks them. */
export class ThemeCounter {
  readonly #inside = new Map<string, number>()
  readonly #outside = new Map<string, number>()
  comments = 0
  otherComments = 0

  /** Adds one comment; `inCategory` says whether its answer is in the category being explained. */
  add(comment: string, inCategory: boolean): void {
    const counts = inCategory ? this.#inside : this.#outside
    if (inCategory) this.comments++
    else this.otherComments++
    for (const term of termsOf(comment)) counts.set(term, (counts.get(term) ?? 0) + 1)
  }

  /** Adds many comments in slices of at most SLICE_MS, yielding to the event loop between slices. */
  async addAll(comments: Iterable<string>, inCategory: boolean): Promise<void> {
    let slice = performance.now()
    for (const comment of comments) {
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn()
        slice = performance.now()
      }
      this.add(comment, inCategory)
    }
  }

  terms(options: { limit: number; minCount: number }): Theme[] {
    const themes: (Theme & { rank: number })[] = []
    for (const [term, count] of this.#inside) {
      if (count < options.minCount) continue
      const outside = this.#outside.get(term) ?? 0
      const lift = (count + 1) / (this.comments + 2) / ((outside + 1) / (this.otherComments + 2))
      if (!(lift > 1)) continue
      themes.push({ term, count, share: count / this.comments, lift, rank: count * Math.log(lift) })
    }
    themes.sort((a, b) => b.rank - a.rank || b.count - a.count || (a.term < b.term ? -1 : 1))
    return themes.slice(0, options.limit).map(({ rank: _rank, ...theme }) => theme)
  }
}
