/**
 * The card's default texts in every language we ship. They live here, served by the collector's public
 * config endpoint, so that no language costs the widget a byte: the visitor downloads one language.
 * A survey's own question and follow-up prompts replace these defaults (see `localize`).
 */
import type { UiStrings } from './schemas.ts'

export const translations: Record<string, UiStrings> = {
  en: {
    question: 'How likely are you to recommend us to a friend or colleague?',
    low: 'Not at all likely',
    high: 'Extremely likely',
    followUp: {
      promoter: 'What do you like most about us?',
      passive: 'What would make us a 10 for you?',
      detractor: 'What disappointed you, and what should we fix first?',
    },
    placeholder: 'Your answer (optional)',
    send: 'Send',
    skip: 'Skip',
    thanks: 'Thank you for your feedback!',
    close: 'Close',
    scoreLabel: '{score} out of 10',
    contact: 'May we contact you about this?',
    email: 'Your email address',
  },
  de: {
    question: 'Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?',
    low: 'Sehr unwahrscheinlich',
    high: 'Sehr wahrscheinlich',
    followUp: {
      promoter: 'Was gefällt Ihnen an uns am besten?',
      passive: 'Was müssten wir tun, damit Sie uns eine 10 geben?',
      detractor: 'Was hat Sie enttäuscht, und was sollten wir zuerst verbessern?',
    },
    placeholder: 'Ihre Antwort (optional)',
    send: 'Senden',
    skip: 'Überspringen',
    thanks: 'Vielen Dank für Ihr Feedback!',
    close: 'Schließen',
    scoreLabel: '{score} von 10',
    contact: 'Dürfen wir Sie dazu kontaktieren?',
    email: 'Ihre E-Mail-Adresse',
  },
  fr: {
    question: 'Quelle est la probabilité que vous nous recommandiez à un ami ou un collègue ?',
    low: 'Pas du tout probable',
    high: 'Très probable',
    followUp: {
      promoter: 'Qu’appréciez-vous le plus chez nous ?',
      passive: 'Que faudrait-il pour que vous nous donniez 10 ?',
      detractor: 'Qu’est-ce qui vous a déçu, et que devrions-nous corriger en premier ?',
    },
    placeholder: 'Votre réponse (facultatif)',
    send: 'Envoyer',
    skip: 'Passer',
    thanks: 'Merci pour votre avis !',
    close: 'Fermer',
    scoreLabel: '{score} sur 10',
    contact: 'Pouvons-nous vous contacter à ce sujet ?',
    email: 'Votre adresse e-mail',
  },
  es: {
    question: '¿Qué probabilidad hay de que nos recomiende a un amigo o colega?',
    low: 'Nada probable',
    high: 'Muy probable',
    followUp: {
      promoter: '¿Qué es lo que más le gusta de nosotros?',
      passive: '¿Qué haría falta para que nos diera un 10?',
      detractor: '¿Qué le decepcionó y qué deberíamos mejorar primero?',
    },
    placeholder: 'Su respuesta (opcional)',
    send: 'Enviar',
    skip: 'Omitir',
    thanks: '¡Gracias por su opinión!',
    close: 'Cerrar',
    scoreLabel: '{score} de 10',
    contact: '¿Podemos contactarle sobre esto?',
    email: 'Su correo electrónico',
  },
  it: {
    question: 'Quanto è probabile che ci consiglieresti a un amico o a un collega?',
    low: 'Per niente probabile',
    high: 'Estremamente probabile',
    followUp: {
      promoter: 'Che cosa ti piace di più di noi?',
      passive: 'Che cosa ci servirebbe per meritare un 10?',
      detractor: 'Che cosa ti ha deluso e che cosa dovremmo migliorare per prima?',
    },
    placeholder: 'La tua risposta (facoltativa)',
    send: 'Invia',
    skip: 'Salta',
    thanks: 'Grazie per il tuo feedback!',
    close: 'Chiudi',
    scoreLabel: '{score} su 10',
    contact: 'Possiamo contattarti in merito?',
    email: 'Il tuo indirizzo email',
  },
  pt: {
    question: 'Qual é a probabilidade de nos recomendar a um amigo ou colega?',
    low: 'Nada provável',
    high: 'Extremamente provável',
    followUp: {
      promoter: 'O que mais gosta em nós?',
      passive: 'O que nos faria merecer um 10?',
      detractor: 'O que o desapontou e o que devemos melhorar primeiro?',
    },
    placeholder: 'A sua resposta (opcional)',
    send: 'Enviar',
    skip: 'Ignorar',
    thanks: 'Obrigado pelo seu feedback!',
    close: 'Fechar',
    scoreLabel: '{score} de 10',
    contact: 'Podemos contactá-lo sobre isto?',
    email: 'O seu endereço de email',
  },
  nl: {
    question: 'Hoe waarschijnlijk is het dat u ons aanbeveelt aan een vriend of collega?',
    low: 'Helemaal niet waarschijnlijk',
    high: 'Zeer waarschijnlijk',
    followUp: {
      promoter: 'Wat vindt u het beste aan ons?',
      passive: 'Wat zou ervoor zorgen dat u ons een 10 geeft?',
      detractor: 'Wat viel u tegen, en wat moeten we als eerste verbeteren?',
    },
    placeholder: 'Uw antwoord (optioneel)',
    send: 'Versturen',
    skip: 'Overslaan',
    thanks: 'Bedankt voor uw feedback!',
    close: 'Sluiten',
    scoreLabel: '{score} van 10',
    contact: 'Mogen we hierover contact met u opnemen?',
    email: 'Uw e-mailadres',
  },
  pl: {
    question: 'Jak bardzo prawdopodobne jest, że polecisz nas znajomemu lub współpracownikowi?',
    low: 'Zupełnie nieprawdopodobne',
    high: 'Bardzo prawdopodobne',
    followUp: {
      promoter: 'Co podoba Ci się u nas najbardziej?',
      passive: 'Co musielibyśmy zrobić, żebyś dał(a) nam 10?',
      detractor: 'Co Cię rozczarowało i co powinniśmy poprawić w pierwszej kolejności?',
    },
    placeholder: 'Twoja odpowiedź (opcjonalnie)',
    send: 'Wyślij',
    skip: 'Pomiń',
    thanks: 'Dziękujemy za opinię!',
    close: 'Zamknij',
    scoreLabel: '{score} na 10',
    contact: 'Czy możemy się z Tobą skontaktować w tej sprawie?',
    email: 'Twój adres e-mail',
  },
  sv: {
    question: 'Hur troligt är det att du skulle rekommendera oss till en vän eller kollega?',
    low: 'Inte alls troligt',
    high: 'Mycket troligt',
    followUp: {
      promoter: 'Vad uppskattar du mest hos oss?',
      passive: 'Vad skulle få dig att ge oss en 10:a?',
      detractor: 'Vad gjorde dig besviken, och vad borde vi rätta till först?',
    },
    placeholder: 'Ditt svar (valfritt)',
    send: 'Skicka',
    skip: 'Hoppa över',
    thanks: 'Tack för din feedback!',
    close: 'Stäng',
    scoreLabel: '{score} av 10',
    contact: 'Får vi kontakta dig om detta?',
    email: 'Din e-postadress',
  },
  ja: {
    question: '友人や同僚に当社を薦める可能性はどのくらいありますか？',
    low: 'まったく薦めない',
    high: 'ぜひ薦めたい',
    followUp: {
      promoter: '当社の最も気に入っている点は何ですか？',
      passive: '10点をつけていただくには、何が必要でしょうか？',
      detractor: '残念だった点と、まず改善すべき点を教えてください。',
    },
    placeholder: 'ご回答（任意）',
    send: '送信',
    skip: 'スキップ',
    thanks: 'ご意見ありがとうございました！',
    close: '閉じる',
    scoreLabel: '10点中{score}点',
    contact: 'この件についてご連絡してもよろしいですか？',
    email: 'メールアドレス',
  },
  zh: {
    question: '您有多大可能向朋友或同事推荐我们？',
    low: '完全不可能',
    high: '非常可能',
    followUp: {
      promoter: '您最喜欢我们哪一点？',
      passive: '我们怎样做才能让您打10分？',
      detractor: '哪些地方让您失望？我们应该首先改进什么？',
    },
    placeholder: '您的回答（选填）',
    send: '提交',
    skip: '跳过',
    thanks: '感谢您的反馈！',
    close: '关闭',
    scoreLabel: '{score}分（满分10分）',
    contact: '我们可以就此与您联系吗？',
    email: '您的电子邮箱地址',
  },
  ko: {
    question: '친구나 동료에게 저희를 추천할 가능성은 얼마나 됩니까?',
    low: '전혀 그렇지 않다',
    high: '매우 그렇다',
    followUp: {
      promoter: '저희의 어떤 점이 가장 마음에 드시나요?',
      passive: '10점을 주시려면 무엇이 필요할까요?',
      detractor: '어떤 점이 실망스러우셨고, 무엇을 먼저 고쳐야 할까요?',
    },
    placeholder: '의견 (선택 사항)',
    send: '보내기',
    skip: '건너뛰기',
    thanks: '의견을 보내 주셔서 감사합니다!',
    close: '닫기',
    scoreLabel: '10점 중 {score}점',
    contact: '이 내용과 관련해 연락드려도 될까요?',
    email: '이메일 주소',
  },
  ar: {
    question: 'ما مدى احتمال أن توصي بنا لصديق أو زميل؟',
    low: 'غير محتمل على الإطلاق',
    high: 'محتمل جدًا',
    followUp: {
      promoter: 'ما أكثر ما يعجبك فينا؟',
      passive: 'ما الذي يجعلك تمنحنا 10؟',
      detractor: 'ما الذي خيّب أملك، وما الذي يجب أن نصلحه أولًا؟',
    },
    placeholder: 'إجابتك (اختياري)',
    send: 'إرسال',
    skip: 'تخطٍّ',
    thanks: 'شكرًا على ملاحظاتك!',
    close: 'إغلاق',
    scoreLabel: '{score} من 10',
    contact: 'هل يمكننا التواصل معك بشأن هذا؟',
    email: 'بريدك الإلكتروني',
  },
  he: {
    question: 'עד כמה סביר שתמליצו עלינו לחבר או לעמית?',
    low: 'בכלל לא סביר',
    high: 'סביר מאוד',
    followUp: {
      promoter: 'מה הכי מוצא חן בעיניך אצלנו?',
      passive: 'מה היה גורם לך לתת לנו 10?',
      detractor: 'מה אכזב אותך, ומה כדאי שנתקן קודם?',
    },
    placeholder: 'התשובה שלך (לא חובה)',
    send: 'שליחה',
    skip: 'דילוג',
    thanks: 'תודה על המשוב!',
    close: 'סגירה',
    scoreLabel: '{score} מתוך 10',
    contact: 'האם נוכל ליצור איתך קשר בנושא?',
    email: 'כתובת האימייל שלך',
  },
}

/** The languages written right to left among those we ship (and their common relatives). */
const RTL = new Set(['ar', 'he', 'fa', 'ur'])

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL.has(locale.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr'
}

/**
 * The best shipped locale for a list of preferences (an Accept-Language header or `navigator.languages`
 * joined with commas), by quality and then order: an exact tag first, then its language, else `fallback`.
 */
export function resolveLocale(preferences: string | undefined, fallback = 'en'): string {
  const ranked = (preferences ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index }
    })
    .filter((p) => p.tag && p.tag !== '*' && Number.isFinite(p.q) && p.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const { tag } of ranked) {
    if (translations[tag]) return tag
    const language = tag.split('-')[0] ?? ''
    if (translations[language]) return language
  }
  return translations[fallback] ? fallback : 'en'
}

/** The survey texts a visitor sees, with the survey's own question and prompts over the defaults. */
export function localize(
  locale: string,
  overrides: {
    question?: string | null
    followUp?: Partial<Record<keyof UiStrings['followUp'], string | null>>
  } = {},
): UiStrings {
  const base = translations[locale] ?? (translations.en as UiStrings)
  const f = overrides.followUp ?? {}
  return {
    ...base,
    question: overrides.question ?? base.question,
    followUp: {
      promoter: f.promoter ?? base.followUp.promoter,
      passive: f.passive ?? base.followUp.passive,
      detractor: f.detractor ?? base.followUp.detractor,
    },
  }
}
