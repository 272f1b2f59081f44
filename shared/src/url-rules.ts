/**
 * URL include/exclude rules, shared by the widget (which applies them) and the collector (which
 * documents them). Tiny on purpose: the widget's loader imports it, and it must stay free of zod.
 *
 * A rule is a pattern where `*` matches any run of characters. A rule that starts with `/` is matched
 * against the path (plus query and hash); any other rule against the whole URL.
 *
 * @example
 * isUrlAllowed('https://shop.example/checkout/done', { urlInclude: ['/checkout/*'], urlExclude: [] }) // true
 */

function toRegExp(rule: string): RegExp {
  const body = rule
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}$`)
}

/** Does one rule match this URL? */
export function matchesUrlRule(rule: string, url: string): boolean {
  let target = url
  if (rule.startsWith('/')) {
    try {
      const u = new URL(url)
      target = u.pathname + u.search + u.hash
      // A path rule without query or hash also matches the bare path, so `/pricing` matches `/pricing?x=1`.
      if (!/[?#]/.test(rule) && toRegExp(rule).test(u.pathname)) return true
    } catch {
      return false
    }
  }
  return toRegExp(rule).test(target)
}

/** Included (no include rules, or one matches) and not excluded (no exclude rule matches). */
export function isUrlAllowed(
  url: string,
  rules: { urlInclude: readonly string[]; urlExclude: readonly string[] },
): boolean {
  if (rules.urlExclude.some((rule) => matchesUrlRule(rule, url))) return false
  return rules.urlInclude.length === 0 || rules.urlInclude.some((rule) => matchesUrlRule(rule, url))
}
