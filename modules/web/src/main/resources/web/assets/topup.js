/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Top-up (a7): a card, a funding source, an amount. Each attempt carries one requestId, made when
   the attempt starts and kept for its retries (a double click or a retry after a lost answer loads
   at most once); changing the card, source or amount, or a final answer, starts a new attempt. */
'use strict';
document.addEventListener('DOMContentLoaded', async function () {
  const A = Anonpay;
  const el = A.el;
  const form = document.getElementById('topup-form');
  const cardSelect = document.getElementById('topup-card');
  const sourceSelect = document.getElementById('topup-source');
  const amountInput = document.getElementById('topup-amount');
  const button = document.getElementById('topup-submit');
  let cards = [];
  let sources = [];
  let requestId = null;
  let busy = false;
  let recent = null;

  // opened from the wallet program's pop-up (/pay): a way back to the payment, which kept its purchase
  const back = A.param('return') === 'pay' ? '/pay?resume=1' : A.param('return') === 'autofill' ? '/pay?mode=autofill&resume=1' : null;
  if (back) {
    const link = document.getElementById('topup-return');
    link.href = back;
    link.hidden = false;
    document.getElementById('topup-to-wallet').hidden = true;
  }

  const [cr, sr] = await Promise.all([A.api('GET', '/api/v1/cards'), A.api('GET', '/api/v1/funding-sources')]);
  if (!cr.ok) { A.notice('topup-error', A.errorText(cr.error), 'error'); return; }
  cards = (cr.data.cards || []).filter(function (c) { return c.state === 'ACTIVE' || c.state === 'FROZEN'; });
  sources = sr.ok ? (sr.data.sources || []) : [];
  fill();
  const wanted = A.param('card');
  if (wanted && cards.some(function (c) { return String(c.cardId) === wanted; })) cardSelect.value = wanted;
  showBalance();
  loadRecent();
  A.onLang(function () { fill(); showBalance(); renderRecent(); });

  function card() { return cards.find(function (c) { return String(c.cardId) === cardSelect.value; }); }

  function fill() {
    const chosenCard = cardSelect.value;
    const chosenSource = sourceSelect.value;
    cardSelect.replaceChildren();
    cards.forEach(function (c) {
      cardSelect.appendChild(el('option', { value: String(c.cardId) }, c.cardName + ' ' + c.maskedPan));
    });
    if (chosenCard) cardSelect.value = chosenCard;
    sourceSelect.replaceChildren();
    sources.forEach(function (s) {
      const kind = A.label('funding.kind.', s.kind);
      const bank = s.kind === 'BANK_ACCOUNT' && s.bankName ? ' ' + (typeof s.bankName === 'object' ? (s.bankName[A.lang()] || s.bankName.ko) : s.bankName) : '';
      sourceSelect.appendChild(el('option', { value: String(s.sourceId) }, kind + bank + ' ' + (s.masked || '') + (s.label ? ' (' + s.label + ')' : '')));
    });
    if (chosenSource) sourceSelect.value = chosenSource;
    document.getElementById('topup-no-sources').hidden = sources.length > 0;
    if (!cards.length) A.notice('topup-notice', A.t('topup.noCards'), 'error');
    button.disabled = busy || !cards.length || !sources.length;
  }

  function showBalance() {
    const c = card();
    const hint = document.getElementById('topup-card-balance');
    hint.textContent = c && c.balance ? A.t('wallet.balance') + ' ' + A.money(c.balance.available, c.balance.currency, c.balance.fractionDigits) : '';
  }

  async function loadRecent() {
    const c = card();
    if (!c) return;
    const r = await A.api('GET', '/api/v1/cards/' + c.cardId + '/topups');
    recent = r.ok ? (r.data.topups || r.data.items || []) : null;
    renderRecent();
  }

  function renderRecent() {
    const panel = document.getElementById('topup-recent-panel');
    const ul = document.getElementById('topup-recent');
    ul.replaceChildren();
    const c = card();
    panel.hidden = !recent || !recent.length || !c;
    if (panel.hidden) return;
    const fd = c.balance ? c.balance.fractionDigits : 0;
    recent.slice(0, 10).forEach(function (t) {
      ul.appendChild(el('li', null,
        el('span', null, A.dateTime(t.createdAt || t.at || t.requestedAt) + ' ' + A.label('topup.state.', t.state)),
        el('span', null, A.money(t.amount, t.currency || c.balance.currency, fd))));
    });
  }

  // a new attempt as soon as anything of it changes
  [cardSelect, sourceSelect, amountInput].forEach(function (i) {
    i.addEventListener('input', function () { requestId = null; });
    i.addEventListener('change', function () { requestId = null; });
  });
  cardSelect.addEventListener('change', function () { showBalance(); loadRecent(); });

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    if (busy) return; // a double click sends nothing more
    const c = card();
    A.clearErrors(form);
    A.notice('topup-notice', '', 'ok');
    const fd = c && c.balance ? c.balance.fractionDigits : 0;
    const amount = A.toMinor(amountInput.value, fd);
    if (amount === null || amount <= 0) { A.showErrors(form, [{ code: 'INVALID_FORMAT', field: 'amount' }]); return; }
    if (!c || !sourceSelect.value) { A.showErrors(form, [{ code: 'REQUIRED', field: c ? 'sourceId' : 'cardId' }]); return; }
    if (!requestId) requestId = A.uuid();
    busy = true;
    button.disabled = true;
    try {
      const r = await A.api('POST', '/api/v1/cards/' + c.cardId + '/topups', { sourceId: /^\d+$/.test(sourceSelect.value) ? Number(sourceSelect.value) : sourceSelect.value, amount: amount, requestId: requestId });
      if (r.ok) {
        requestId = null; // done: the next top-up is a new attempt
        const b = r.data.balance;
        if (b) c.balance = Object.assign({}, c.balance, b);
        if (r.data.state === 'LOADED') {
          A.notice('topup-notice', A.t('topup.done', { balance: A.money(c.balance.available, c.balance.currency, c.balance.fractionDigits) }), 'ok');
          amountInput.value = '';
        } else {
          A.notice('topup-notice', A.t('topup.pending', { state: A.label('topup.state.', r.data.state) }), 'ok');
        }
        showBalance();
        loadRecent();
      } else {
        // the server's answer ends the attempt (its outcome is final: declined, unavailable with
        // nothing moved, ...), except "still in progress"; a lost answer (network, a proxy's page)
        // keeps the requestId, so the retry asks for the same top-up and cannot load twice
        const answered = r.status > 0 && r.data && r.data.error;
        if (answered && r.error.code !== 'TOPUP_IN_PROGRESS') requestId = null;
        const errors = r.errors.map(function (e) {
          return e.field === 'requestId' || e.field === null ? Object.assign({}, e, { field: null }) : e;
        });
        A.showErrors(form, errors);
      }
    } finally {
      busy = false;
      button.disabled = !cards.length || !sources.length;
    }
  });
});
