/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The e-wallet: every card with its masked number, balance, status, plastic card status and
   recent history. */
'use strict';
document.addEventListener('DOMContentLoaded', async function () {
  const A = Anonpay;
  const el = A.el;
  let cards = null;
  const histories = {};

  const session = await A.api('GET', '/api/v1/session');
  if (!session.ok) return; // 401: on the way to the log-in page
  const hello = document.getElementById('wallet-hello');
  function greet() { hello.textContent = A.t('wallet.hello', { name: session.data.nickname || session.data.memberId }); }
  greet();

  const r = await A.api('GET', '/api/v1/cards');
  document.getElementById('wallet-loading').hidden = true;
  if (!r.ok) {
    A.notice('wallet-error', A.errorText(r.error), 'error');
    return;
  }
  cards = r.data.cards || [];
  document.getElementById('wallet-empty').hidden = cards.length > 0;
  render();
  await Promise.all(cards.map(async function (c) {
    const h = await A.api('GET', '/api/v1/cards/' + c.cardId + '/history?limit=5');
    histories[c.cardId] = h.ok ? (h.data.transactions || []) : null;
  }));
  render();
  A.onLang(function () { greet(); render(); statementHelp(); });
  await statementChannel();
  await analyticsOptOut();

  function statementHelp() {
    document.getElementById('statement-help').textContent = A.t('wallet.statement.help');
  }

  /* b12: the channel of the next-day statement, changed at once (PUT, with the CSRF token). */
  async function statementChannel() {
    const g = await A.api('GET', '/api/v1/members/me/statement-channel');
    if (!g.ok) return;
    const panel = document.getElementById('statement-panel');
    document.getElementById('statement-email').textContent = g.data.email || '';
    document.getElementById('statement-mobile').textContent = g.data.mobile || '';
    statementHelp();
    const radios = panel.querySelectorAll('input[name="statementChannel"]');
    let current = g.data.channel;
    radios.forEach(function (radio) {
      radio.checked = radio.value === current;
      radio.addEventListener('change', async function () {
        if (!radio.checked || radio.value === current) return;
        radios.forEach(function (x) { x.disabled = true; });
        const p = await A.api('PUT', '/api/v1/members/me/statement-channel', { channel: radio.value });
        radios.forEach(function (x) { x.disabled = false; });
        if (p.ok) {
          current = p.data.channel;
          A.notice('statement-notice', A.t('wallet.statement.saved'), 'ok');
        } else {
          radios.forEach(function (x) { x.checked = x.value === current; });
          A.notice('statement-notice', A.errorText(p.error), 'error');
        }
      });
    });
    panel.hidden = false;
  }

  /* Issue 5 item 4: leave my spending out of the aggregated analytics (PUT, with the CSRF token). */
  async function analyticsOptOut() {
    const g = await A.api('GET', '/api/v1/members/me/analytics');
    if (!g.ok) return;
    const box = document.getElementById('analytics-opt-out');
    let current = !!g.data.optOut;
    box.checked = current;
    box.addEventListener('change', async function () {
      box.disabled = true;
      const p = await A.api('PUT', '/api/v1/members/me/analytics', { optOut: box.checked });
      box.disabled = false;
      if (p.ok) {
        current = !!p.data.optOut;
        A.notice('analytics-notice', A.t(current ? 'wallet.analytics.out' : 'wallet.analytics.in'), 'ok');
      } else {
        box.checked = current;
        A.notice('analytics-notice', A.errorText(p.error), 'error');
      }
    });
    document.getElementById('analytics-panel').hidden = false;
  }

  function physicalText(p) {
    if (!p) return A.t('physical.none');
    return A.label('physical.', p.state) + ' · ' + A.label('delivery.', p.delivery);
  }

  function historyList(card) {
    const items = histories[card.cardId];
    if (items === undefined) return el('p', { class: 'muted' }, A.t('common.loading'));
    if (items === null) return null; // history not available
    if (!items.length) return el('p', { class: 'muted', 'data-testid': 'card-history-empty-' + card.cardId }, A.t('wallet.noHistory'));
    const fd = card.balance ? card.balance.fractionDigits : 0;
    const ul = el('ul', { class: 'history', 'data-testid': 'card-history-' + card.cardId });
    items.forEach(function (tx) {
      const what = [A.label('tx.', tx.type), tx.mallName || tx.merchant].filter(Boolean).join(' · ');
      ul.appendChild(el('li', { class: tx.approved === false ? 'declined' : null },
        el('span', null, A.dateTime(tx.at) + ' ' + what, A.goodsLine(tx.goods)),
        el('span', null, A.money(tx.amount, tx.currency || card.balance.currency, fd) + (tx.approved === false ? ' (' + A.t('card.declined') + ')' : ''))));
    });
    return ul;
  }

  function render() {
    const box = document.getElementById('wallet-cards');
    box.replaceChildren();
    const totals = {};
    cards.forEach(function (c) {
      const b = c.balance;
      if (b) {
        const k = b.currency;
        totals[k] = totals[k] || { minor: 0, fd: b.fractionDigits };
        totals[k].minor += Number(b.available);
      }
      box.appendChild(el('article', { class: 'wallet-card', 'data-testid': 'card-' + c.cardId, 'aria-labelledby': 'card-name-' + c.cardId },
        el('div', { class: 'plastic' },
          el('div', { class: 'name', id: 'card-name-' + c.cardId }, c.cardName),
          el('div', { class: 'pan', 'data-testid': 'card-masked-' + c.cardId }, c.maskedPan),
          el('div', null, c.expiry)),
        el('div', { class: 'muted' }, A.t('wallet.balance')),
        el('div', { class: 'balance', 'data-testid': 'card-balance-' + c.cardId },
          b ? A.money(b.available, b.currency, b.fractionDigits) : '-'),
        el('dl', { class: 'facts' },
          el('dt', null, A.t('wallet.ledger')),
          el('dd', { 'data-testid': 'card-ledger-' + c.cardId }, b ? A.money(b.ledger, b.currency, b.fractionDigits) : '-'),
          el('dt', null, A.t('wallet.state')),
          el('dd', { 'data-testid': 'card-state-' + c.cardId, 'data-state': c.state }, A.label('state.', c.state)),
          el('dt', null, A.t('wallet.physical')),
          el('dd', { 'data-testid': 'card-physical-' + c.cardId, 'data-state': c.physicalCard ? c.physicalCard.state : 'NONE' }, physicalText(c.physicalCard))),
        el('div', { class: 'actions' },
          el('a', { class: 'button secondary', href: '/cards/' + c.cardId, id: 'card-detail-' + c.cardId }, A.t('wallet.detail')),
          el('a', { class: 'button', href: '/topup?card=' + c.cardId, id: 'card-topup-' + c.cardId }, A.t('wallet.topup'))),
        el('h3', null, A.t('wallet.history')),
        historyList(c)));
    });
    const keys = Object.keys(totals);
    if (cards.length > 1 && keys.length) { // with one card its balance is the total
      box.appendChild(el('section', { class: 'wallet-card', id: 'wallet-total' },
        el('div', { class: 'muted' }, A.t('wallet.total')),
        ...keys.map(function (k) { return el('div', { class: 'balance', 'data-testid': 'wallet-total-' + k }, A.money(totals[k].minor, k, totals[k].fd)); })));
    }
  }
});
