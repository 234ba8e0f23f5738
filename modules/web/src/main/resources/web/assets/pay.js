/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The wallet program's pop-up (docs/wallet-program.md), on the wallet's own origin. The mall's page
   (window.opener) sends the request by postMessage after our "anonpay:ready"; the pop-up keeps the
   request and the origin it came from in sessionStorage (so a top-up in the same pop-up can come
   back to /pay?resume=1), lets the member log in and choose a card, and answers only that origin:
     purchase mode: POST /api/v1/purchases, then {type: "anonpay:purchase-ref", purchaseRef};
     autofill mode (?mode=autofill): only on the "fill" button, after the password (reveal) and the
       card PIN twice, {type: "anonpay:card", number, expiry (MMYY), cvv2, pin}.
   Cancel answers {type: "anonpay:cancelled"}. Nothing of the card is stored. */
'use strict';
document.addEventListener('DOMContentLoaded', async function () {
  const A = Anonpay;
  const el = A.el;
  const STATE_KEY = 'anonpay.pay';
  const mode = A.param('mode') === 'autofill' ? 'autofill' : 'purchase';
  const opener = window.opener || null;
  const loginForm = document.getElementById('pay-login-form');
  const cardForm = document.getElementById('pay-card-form');
  // the request is kept only for the way back from a top-up in this pop-up (/pay?resume=1); any
  // other load of /pay starts empty and waits for the opener's request
  let state = A.param('resume') === '1' ? loadState() : null;
  let session = null;
  let cards = null;
  let mall = null; // {mallId, name} or false when the mall takes no wallet payments
  let busy = false;
  let started = false;

  if (state && state.mode !== mode) state = null;
  if (!state) clearState();
  document.getElementById('pay-heading').setAttribute('data-i18n', mode === 'autofill' ? 'autofill.title' : 'pay.title');
  ['pay-card-heading', 'pay-card-legend'].forEach(function (id) {
    document.getElementById(id).setAttribute('data-i18n', mode === 'autofill' ? 'autofill.chooseCard' : 'pay.chooseCard');
  });
  document.getElementById('pay-confirm').hidden = mode !== 'purchase';
  document.getElementById('pay-fill').hidden = mode !== 'autofill';
  document.getElementById('pay-autofill-fields').hidden = mode !== 'autofill';
  document.getElementById('pay-autofill-note').hidden = mode !== 'autofill';
  A.applyTexts();

  if (opener) {
    window.addEventListener('message', onMessage);
    // no data in it, and the opener's origin is not known yet: any origin may read "ready"
    opener.postMessage({ type: 'anonpay:ready', mode: mode }, '*');
  }
  if (state) start();
  else if (!opener) waitingText('pay.noRequest');
  else window.setTimeout(function () { if (!state) waitingText('pay.noRequest'); }, 10000);
  A.onLang(function () { renderRequest(); renderCards(); });

  function waitingText(id) {
    const p = document.getElementById('pay-waiting-text');
    p.setAttribute('data-i18n', id);
    p.textContent = A.t(id);
  }

  function loadState() {
    try {
      const s = JSON.parse(sessionStorage.getItem(STATE_KEY) || 'null');
      return s && typeof s.origin === 'string' && (s.mode === 'autofill' || s.purchase) ? s : null;
    } catch (e) { return null; }
  }

  function saveState() {
    try { sessionStorage.setItem(STATE_KEY, JSON.stringify(state)); } catch (e) { /* a top-up then loses the purchase */ }
  }

  function clearState() {
    try { sessionStorage.removeItem(STATE_KEY); } catch (e) { /* nothing kept */ }
  }

  // ------------------------------------------------------------ the request from the mall's page

  /** Only the opener's messages; the origin they come from is the only one ever answered. */
  function onMessage(event) {
    if (event.source !== opener) return;
    if (typeof event.origin !== 'string' || !/^https?:\/\/[^/]+$/.test(event.origin)) return;
    const m = event.data;
    if (!m || typeof m !== 'object') return;
    if (mode === 'purchase' && m.type === 'anonpay:purchase') {
      const purchase = cleanPurchase(m.purchase);
      if (!purchase) return;
      state = { mode: mode, origin: event.origin, purchase: purchase };
    } else if (mode === 'autofill' && m.type === 'anonpay:autofill') {
      state = { mode: mode, origin: event.origin };
    } else {
      return;
    }
    saveState();
    start();
  }

  /** A copy of the fields the purchase has, nothing else (values are checked by the server). */
  function cleanPurchase(p) {
    if (!p || typeof p !== 'object' || !Array.isArray(p.goods) || p.goods.length > 100) return null;
    const scalar = function (v) { return typeof v === 'string' || typeof v === 'number' ? v : null; };
    return {
      mallId: scalar(p.mallId), customerRef: scalar(p.customerRef), orderId: scalar(p.orderId),
      goods: p.goods.map(function (g) {
        return g && typeof g === 'object' ? { name: scalar(g.name), quantity: scalar(g.quantity), unitPrice: scalar(g.unitPrice) } : {};
      }),
      total: scalar(p.total), currency: scalar(p.currency)
    };
  }

  async function start() {
    document.getElementById('pay-waiting').hidden = true;
    document.getElementById('pay-request').hidden = false;
    mall = null;
    renderRequest();
    if (mode === 'purchase') {
      const id = String(state.purchase.mallId || '');
      const r = /^[A-Z0-9]{4,16}$/.test(id) ? await A.api('GET', '/api/v1/malls/' + id) : { ok: false };
      mall = r.ok ? r.data : false;
      renderRequest();
    }
    if (started) { renderCards(); return; }
    started = true;
    const s = await A.api('GET', '/api/v1/session');
    if (s.ok) { session = s.data; await loadCards(); } else showLogin();
  }

  function fractionDigits(currency) {
    try { return new Intl.NumberFormat('en', { style: 'currency', currency: currency }).resolvedOptions().maximumFractionDigits; } catch (e) { return 0; }
  }

  function renderRequest() {
    if (!state) return;
    document.getElementById('pay-origin').textContent = state.origin;
    document.getElementById('pay-summary').hidden = mode !== 'purchase';
    if (mode !== 'purchase') return;
    const p = state.purchase;
    const fd = fractionDigits(p.currency);
    const mallText = mall ? mall.name + ' (' + mall.mallId + ')' : mall === false ? String(p.mallId) + ' — ' + A.t('pay.mallUnknown') : String(p.mallId);
    document.getElementById('pay-mall').textContent = mallText;
    document.getElementById('pay-order').textContent = String(p.orderId);
    const ul = document.getElementById('pay-goods');
    ul.replaceChildren();
    p.goods.forEach(function (g) {
      ul.appendChild(el('li', null, el('span', null, String(g.name) + ' × ' + String(g.quantity)),
        el('span', null, typeof g.unitPrice === 'number' && typeof g.quantity === 'number' ? A.money(g.unitPrice * g.quantity, p.currency, fd) : '')));
    });
    document.getElementById('pay-total').textContent = A.t('pay.total') + ' ' + (typeof p.total === 'number' ? A.money(p.total, p.currency, fd) : String(p.total));
  }

  // ------------------------------------------------------------ log-in

  function showLogin() {
    cardForm.hidden = true;
    loginForm.hidden = false;
    document.getElementById('pay-login').focus();
  }

  loginForm.addEventListener('submit', async function (event) {
    event.preventDefault();
    if (busy) return;
    const v = A.formValues(loginForm);
    const missing = [];
    if (!v.login) missing.push({ code: 'REQUIRED', field: 'login' });
    if (!v.password) missing.push({ code: 'REQUIRED', field: 'password' });
    if (missing.length) { A.showErrors(loginForm, missing); return; }
    busy = true;
    try {
      const r = await A.api('POST', '/api/v1/sessions', { login: v.login, password: v.password });
      document.getElementById('pay-password').value = '';
      if (!r.ok) { A.showErrors(loginForm, r.errors.map(function (e) { return Object.assign({}, e, { field: null }); })); return; }
      A.setCsrf(r.data.csrfToken);
      session = r.data;
      A.clearErrors(loginForm);
      loginForm.hidden = true;
      await loadCards();
    } finally { busy = false; }
  });

  document.getElementById('pay-logout').addEventListener('click', async function () {
    await A.api('DELETE', '/api/v1/session');
    A.setCsrf(null);
    session = null;
    cards = null;
    showLogin();
  });

  // ------------------------------------------------------------ cards

  async function loadCards() {
    const r = await A.api('GET', '/api/v1/cards');
    if (r.status === 401) { showLogin(); return; }
    cardForm.hidden = false;
    if (!r.ok) { A.notice('pay-notice', A.errorText(r.error), 'error'); return; }
    cards = (r.data.cards || []).filter(function (c) {
      return c.state === 'ACTIVE' && c.balance && (mode === 'autofill' || c.balance.currency === state.purchase.currency);
    });
    renderCards();
  }

  function short(c) {
    return mode === 'purchase' && typeof state.purchase.total === 'number' && Number(c.balance.available) < state.purchase.total;
  }

  function renderCards() {
    if (!cards || !session) return;
    document.getElementById('pay-member').textContent = A.t('pay.member', { name: session.nickname || session.memberId });
    document.getElementById('pay-username').value = session.memberId || '';
    const chosen = cardForm.querySelector('input[name="cardId"]:checked');
    const ul = document.getElementById('pay-cards');
    ul.replaceChildren();
    let firstUsable = null;
    cards.forEach(function (c) {
      const isShort = short(c);
      const radio = el('input', { type: 'radio', name: 'cardId', value: String(c.cardId), id: 'pay-card-' + c.cardId,
        'data-testid': 'pay-card-' + c.cardId, disabled: isShort });
      if (!isShort && !firstUsable) firstUsable = radio;
      const li = el('li', null,
        el('label', { for: 'pay-card-' + c.cardId },
          radio, ' ', c.cardName + ' ', el('span', { class: 'pan' }, c.maskedPan), el('br'),
          el('span', { class: 'muted', 'data-testid': 'pay-card-balance-' + c.cardId },
            A.t('wallet.balance') + ' ' + A.money(c.balance.available, c.balance.currency, c.balance.fractionDigits))));
      if (isShort) {
        const missing = state.purchase.total - Number(c.balance.available);
        li.appendChild(el('span', null,
          el('span', { class: 'status-bad' }, A.t('pay.short', { amount: A.money(missing, c.balance.currency, c.balance.fractionDigits) })), ' ',
          el('a', { class: 'button secondary', id: 'pay-topup-' + c.cardId, 'data-testid': 'pay-topup-' + c.cardId,
            href: '/topup?card=' + c.cardId + '&return=pay' }, A.t('pay.topup'))));
      }
      ul.appendChild(li);
    });
    const again = chosen ? document.getElementById('pay-card-' + chosen.value) : null;
    if (again && !again.disabled) again.checked = true; else if (firstUsable) firstUsable.checked = true;
    const none = !cards.length ? 'pay.noCards' : !firstUsable ? 'pay.allShort' : null;
    A.notice('pay-notice', none ? A.t(none) : '', 'error');
    const blocked = !firstUsable || (mode === 'purchase' && mall === false);
    document.getElementById('pay-confirm').disabled = blocked;
    document.getElementById('pay-fill').disabled = blocked;
  }

  function chosenCard() {
    const r = cardForm.querySelector('input[name="cardId"]:checked');
    return r ? cards.find(function (c) { return String(c.cardId) === r.value; }) : null;
  }

  // ------------------------------------------------------------ answers to the mall's page

  /** Posts {@code message} to the opener, only to the origin the request came from. */
  function answer(message) {
    if (!opener || opener.closed || !state) return false;
    opener.postMessage(message, state.origin);
    return true;
  }

  function done(textId) {
    clearState();
    loginForm.hidden = true;
    cardForm.hidden = true;
    document.getElementById('pay-done').hidden = false;
    const p = document.getElementById('pay-done-text');
    p.setAttribute('data-i18n', textId);
    p.textContent = A.t(textId);
    window.close();
  }

  function cancel() {
    answer({ type: 'anonpay:cancelled' });
    done('pay.cancelled');
  }
  document.getElementById('pay-cancel').addEventListener('click', cancel);
  document.getElementById('pay-login-cancel').addEventListener('click', cancel);

  /** Errors of fields the form has no input for (mallId, goods[0].name, ...) are shown with their field's name. */
  function showErrors(errors) {
    A.showErrors(cardForm, errors.map(function (e) {
      const own = e.field && cardForm.querySelector('[data-error-for="' + CSS.escape(e.field) + '"]');
      return own ? e : { code: '_', field: null, message: (e.field ? e.field + ': ' : '') + A.errorText(e) };
    }));
  }

  cardForm.addEventListener('submit', async function (event) {
    event.preventDefault();
    if (busy) return;
    const c = chosenCard();
    A.clearErrors(cardForm);
    if (!c) { showErrors([{ code: 'REQUIRED', field: 'cardId' }]); return; }
    busy = true;
    try {
      if (mode === 'purchase') await confirmPurchase(c); else await fill(c);
    } finally { busy = false; }
  });

  async function confirmPurchase(c) {
    const p = state.purchase;
    const r = await A.api('POST', '/api/v1/purchases', {
      mallId: p.mallId, customerRef: p.customerRef, orderId: p.orderId, goods: p.goods, total: p.total, currency: p.currency, cardId: c.cardId
    });
    if (r.status === 401) { showLogin(); return; }
    if (!r.ok) { showErrors(r.errors); return; }
    if (!answer({ type: 'anonpay:purchase-ref', purchaseRef: r.data.purchaseRef })) {
      A.notice('pay-notice', A.t('pay.openerGone'), 'error');
      return;
    }
    done('pay.done');
  }

  async function fill(c) {
    const password = document.getElementById('pay-reveal-password');
    const pin = document.getElementById('pay-pin');
    const pinConfirm = document.getElementById('pay-pin-confirm');
    const errors = [];
    if (!password.value) errors.push({ code: 'REQUIRED', field: 'password' });
    if (!/^[0-9]{4}$/.test(pin.value)) errors.push({ code: 'INVALID_FORMAT', field: 'pin' });
    else if (pin.value !== pinConfirm.value) errors.push({ code: 'PIN_MISMATCH', field: 'pinConfirm' });
    if (errors.length) { A.showErrors(cardForm, errors); return; }
    if (!opener || opener.closed) { A.notice('pay-notice', A.t('pay.openerGone'), 'error'); return; }
    const r = await A.api('POST', '/api/v1/cards/' + c.cardId + '/reveal', { password: password.value });
    password.value = '';
    if (r.status === 401 && r.error && r.error.code === 'NOT_AUTHENTICATED') { showLogin(); return; }
    if (!r.ok) { showErrors(r.errors); return; }
    const expiry = String(r.data.expiry); // "2031-03" → "0331"
    const card = { type: 'anonpay:card', number: String(r.data.pan), expiry: expiry.slice(5, 7) + expiry.slice(2, 4), cvv2: String(r.data.cvv2), pin: pin.value };
    pin.value = '';
    pinConfirm.value = '';
    const sent = answer(card);
    card.number = card.cvv2 = card.pin = ''; // nothing of the card stays in this page
    if (!sent) { A.notice('pay-notice', A.t('pay.openerGone'), 'error'); return; }
    done('autofill.done');
  }
});
