/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Card detail: full number after the password (shown, then hidden again), freeze/unfreeze,
   report lost (after a confirmation), card controls, PIN change, history. */
'use strict';
document.addEventListener('DOMContentLoaded', async function () {
  const A = Anonpay;
  const el = A.el;
  const cardId = location.pathname.split('/')[2];
  const base = '/api/v1/cards/' + encodeURIComponent(cardId);
  let card = null;
  let history = null;
  let hideTimer = null;

  async function load() {
    let r = await A.api('GET', base);
    if (r.ok) return r.data;
    if (r.status !== 404 && r.status !== 405) { A.notice('card-notice', A.errorText(r.error), 'error'); return null; }
    // without the card endpoint: the card from the wallet list
    r = await A.api('GET', '/api/v1/cards');
    const found = r.ok ? (r.data.cards || []).find(function (c) { return String(c.cardId) === cardId; }) : null;
    if (!found) A.notice('card-notice', A.t('err.NOT_FOUND'), 'error');
    return found || null;
  }

  card = await load();
  if (!card) {
    document.querySelectorAll('main > section, main > form').forEach(function (s) { s.hidden = true; });
    return;
  }
  render();
  loadHistory();
  A.onLang(function () { render(); renderHistory(); });

  function fd() { return card.balance ? card.balance.fractionDigits : 0; }
  function currency() { return card.balance ? card.balance.currency : 'KRW'; }

  function render() {
    document.getElementById('card-name').textContent = card.cardName;
    document.getElementById('card-masked').textContent = card.maskedPan;
    document.getElementById('card-expiry').textContent = card.expiry;
    const b = card.balance;
    document.getElementById('card-balance').textContent = b ? A.money(b.available, b.currency, b.fractionDigits) : '-';
    const state = document.getElementById('card-state');
    state.textContent = A.label('state.', card.state);
    state.dataset.state = card.state;
    const p = card.physicalCard;
    const physical = document.getElementById('card-physical');
    physical.textContent = p ? A.label('physical.', p.state) + ' · ' + A.label('delivery.', p.delivery) : A.t('physical.none');
    physical.dataset.state = p ? p.state : 'NONE';
    document.getElementById('card-topup').href = '/topup?card=' + card.cardId;
    document.getElementById('card-freeze').hidden = card.state !== 'ACTIVE';
    document.getElementById('card-unfreeze').hidden = card.state !== 'FROZEN';
    const final = ['LOST', 'STOLEN', 'CLOSED', 'EXPIRED'].indexOf(card.state) >= 0;
    document.getElementById('card-report-lost').hidden = final;
    renderControls();
  }

  function major(minor) {
    if (minor === null || minor === undefined) return '';
    return (Number(minor) / Math.pow(10, fd())).toFixed(fd());
  }

  function renderControls() {
    const form = document.getElementById('controls-form');
    const c = card.controls;
    if (!c) { form.hidden = true; return; }
    form.hidden = false;
    if (!form.dataset.filled) {
      document.getElementById('controls-perTx').value = major(c.limitPerTransaction);
      document.getElementById('controls-daily').value = major(c.limitDaily);
      document.getElementById('controls-online').checked = c.allowOnline !== false;
      document.getElementById('controls-offline').checked = c.allowOffline !== false;
      form.dataset.filled = 'yes';
    }
    document.getElementById('controls-perTx-hint').textContent = c.programLimitPerTransaction == null ? ''
      : A.t('card.controls.programLimit', { limit: A.money(c.programLimitPerTransaction, currency(), fd()) });
    document.getElementById('controls-daily-hint').textContent = c.programLimitDaily == null ? ''
      : A.t('card.controls.programLimit', { limit: A.money(c.programLimitDaily, currency(), fd()) });
  }

  async function loadHistory() {
    const r = await A.api('GET', base + '/history?limit=20');
    history = r.ok ? (r.data.transactions || []) : null;
    renderHistory();
  }

  function renderHistory() {
    const ul = document.getElementById('card-history');
    ul.replaceChildren();
    document.getElementById('history-panel').hidden = history === null;
    if (!history) return;
    if (!history.length) { ul.appendChild(el('li', { class: 'muted' }, A.t('wallet.noHistory'))); return; }
    history.forEach(function (tx) {
      const what = [A.label('tx.', tx.type), tx.mallName || tx.merchant, tx.approved === false ? A.t('card.declined') + (tx.reason ? ' (' + tx.reason + ')' : '') : null]
        .filter(Boolean).join(' · ');
      ul.appendChild(el('li', { class: tx.approved === false ? 'declined' : null },
        el('span', null, A.dateTime(tx.at) + ' ' + what, A.goodsLine(tx.goods)),
        el('span', null, A.money(tx.amount, tx.currency || currency(), fd()))));
    });
  }

  // --- reveal: shown after the password, hidden again by the button or after 30 s ---
  const revealForm = document.getElementById('reveal-form');
  function hideReveal() {
    clearTimeout(hideTimer);
    ['reveal-pan', 'reveal-expiry', 'reveal-cvv2'].forEach(function (id) { document.getElementById(id).textContent = ''; });
    document.getElementById('reveal-box').hidden = true;
  }
  document.getElementById('reveal-hide').addEventListener('click', hideReveal);
  window.addEventListener('pagehide', hideReveal);
  document.addEventListener('visibilitychange', function () { if (document.hidden) hideReveal(); });
  revealForm.addEventListener('submit', async function (event) {
    event.preventDefault();
    const button = document.getElementById('reveal-submit');
    const password = document.getElementById('reveal-password');
    button.disabled = true;
    try {
      const r = await A.api('POST', base + '/reveal', { password: password.value });
      password.value = '';
      if (!r.ok) { A.showErrors(revealForm, r.errors.map(function (e) { return e.code === 'PASSWORD_WRONG' ? Object.assign({}, e, { field: 'password' }) : e; })); return; }
      A.clearErrors(revealForm);
      document.getElementById('reveal-pan').textContent = r.data.pan.replace(/(\d{4})(?=\d)/g, '$1 ');
      document.getElementById('reveal-expiry').textContent = r.data.expiry;
      document.getElementById('reveal-cvv2').textContent = r.data.cvv2;
      document.getElementById('reveal-box').hidden = false;
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hideReveal, 30000);
    } finally {
      button.disabled = false;
    }
  });

  // --- state actions ---
  async function stateAction(path) {
    const error = document.getElementById('state-error');
    error.hidden = true;
    const r = await A.api('POST', base + '/' + path);
    if (!r.ok) { error.textContent = A.errorText(r.error); error.hidden = false; return; }
    if (r.data && r.data.state) card.state = r.data.state;
    A.notice('card-notice', A.t('card.state.done'), 'ok');
    render();
  }
  document.getElementById('card-freeze').addEventListener('click', function () { stateAction('freeze'); });
  document.getElementById('card-unfreeze').addEventListener('click', function () { stateAction('unfreeze'); });
  const confirmBox = document.getElementById('lost-confirm');
  document.getElementById('card-report-lost').addEventListener('click', function () {
    confirmBox.hidden = false;
    document.getElementById('lost-confirm-no').focus();
  });
  document.getElementById('lost-confirm-no').addEventListener('click', function () { confirmBox.hidden = true; });
  document.getElementById('lost-confirm-yes').addEventListener('click', async function () {
    confirmBox.hidden = true;
    await stateAction('report-lost');
  });

  // --- controls ---
  const controlsForm = document.getElementById('controls-form');
  controlsForm.addEventListener('submit', async function (event) {
    event.preventDefault();
    A.notice('controls-notice', '', 'ok');
    const v = A.formValues(controlsForm);
    const errors = [];
    function limit(field) {
      if (v[field] === '') return null;
      const m = A.toMinor(v[field], fd());
      if (m === null) errors.push({ code: 'INVALID_FORMAT', field: field });
      return m;
    }
    const body = {
      limitPerTransaction: limit('limitPerTransaction'), limitDaily: limit('limitDaily'),
      allowOnline: v.allowOnline, allowOffline: v.allowOffline
    };
    if (errors.length) { A.showErrors(controlsForm, errors); return; }
    const button = document.getElementById('controls-submit');
    button.disabled = true;
    try {
      const r = await A.api('PUT', base + '/controls', body);
      if (!r.ok) { A.showErrors(controlsForm, r.errors); return; }
      A.clearErrors(controlsForm);
      if (r.data && r.data.controls) card.controls = r.data.controls;
      else if (r.data && 'allowOnline' in r.data) card.controls = Object.assign({}, card.controls, r.data);
      A.notice('controls-notice', A.t('card.controls.done'), 'ok');
      renderControls();
    } finally {
      button.disabled = false;
    }
  });

  // --- PIN ---
  const pinForm = document.getElementById('pin-form');
  pinForm.addEventListener('submit', async function (event) {
    event.preventDefault();
    A.notice('pin-notice', '', 'ok');
    const button = document.getElementById('pin-submit');
    button.disabled = true;
    try {
      const v = A.formValues(pinForm);
      const r = await A.api('POST', base + '/pin', { password: v.password, pin: v.pin, pinConfirm: v.pinConfirm });
      pinForm.reset();
      if (!r.ok) { A.showErrors(pinForm, r.errors.map(function (e) { return e.code === 'PASSWORD_WRONG' && !e.field ? Object.assign({}, e, { field: 'password' }) : e; })); return; }
      A.clearErrors(pinForm);
      A.notice('pin-notice', A.t('card.pin.done'), 'ok');
    } finally {
      button.disabled = false;
    }
  });
});
