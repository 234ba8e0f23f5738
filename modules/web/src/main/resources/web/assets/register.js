/* SPDX-License-Identifier: AGPL-3.0-or-later */
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  const A = Anonpay;
  const form = document.getElementById('register-form');
  A.securityQuestions(document.getElementById('reg-securityQuestionId'));

  /** Live duplicate check of the member ID or nickname, 400 ms after typing stops. */
  function availability(inputId, statusId, field, path, param) {
    const input = document.getElementById(inputId);
    const status = document.getElementById(statusId);
    const error = form.querySelector('[data-error-for="' + field + '"]');
    let timer = null;
    let seq = 0;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      status.hidden = true;
      timer = setTimeout(async function () {
        const value = input.value.trim();
        const mine = ++seq;
        if (!value) return;
        const r = await A.api('GET', path + '?' + param + '=' + encodeURIComponent(value));
        if (mine !== seq) return; // a later check is under way
        error.textContent = '';
        error.hidden = true;
        input.removeAttribute('aria-invalid');
        if (r.ok) {
          status.textContent = A.t(r.data.available ? 'register.available' : 'register.taken');
          status.className = r.data.available ? 'status-ok' : 'status-bad';
          status.dataset.available = String(r.data.available);
          status.hidden = false;
        } else if (r.error) {
          error.textContent = A.errorText(r.error);
          error.hidden = false;
          input.setAttribute('aria-invalid', 'true');
        }
      }, 400);
    });
  }
  availability('reg-memberId', 'reg-memberId-status', 'memberId', '/api/v1/members/id-available', 'memberId');
  availability('reg-nickname', 'reg-nickname-status', 'nickname', '/api/v1/members/nickname-available', 'nickname');

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const button = document.getElementById('register-submit');
    button.disabled = true;
    try {
      const v = A.formValues(form);
      const q = v.securityQuestionId;
      v.securityQuestionId = /^\d+$/.test(q) ? Number(q) : null;
      Object.keys(v).forEach(function (k) { if (v[k] === '') v[k] = null; });
      const r = await A.api('POST', '/api/v1/members', v);
      if (r.ok) {
        try { sessionStorage.setItem('anonpay.registered', r.data.memberId); } catch (e) { /* typed again */ }
        location.href = '/login?registered=1';
        return;
      }
      A.showErrors(form, r.errors);
    } finally {
      button.disabled = false;
    }
  });
});
