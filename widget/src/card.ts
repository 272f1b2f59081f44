/** nps-card.js: the card, loaded by nps.js when it is about to show. It hands its mount function over. */
import { mount } from './card/mount.tsx'

try {
  const n = window.npskit
  if (n) n.card = mount
} catch {}
