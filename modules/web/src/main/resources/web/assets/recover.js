/* SPDX-License-Identifier: AGPL-3.0-or-later */
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  const A = Anonpay;
  A.securityQuestions(document.getElementById('rid-securityQuestionId'));
  A.securityQuestions(document.getElementById('rpw-securityQuestionId'));

  function wire(formId, buttonId, noticeId, path) {
    const form = document.getElementById(formId);
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      const button = document.getElementById(buttonId);
      button.disabled = true;
      A.notice(noticeId, '', 'ok');
      try {
        const v = A.formValues(form);
        v.securityQuestionId = /^\d+$/.test(v.securityQuestionId) ? Number(v.securityQuestionId) : null;
        Object.keys(v).forEach(function (k) { if (v[k] === '') v[k] = null; });
        const r = await A.api('POST', path, v);
        if (r.ok) {
          A.clearErrors(form);
          A.notice(noticeId, A.t('recover.accepted'), 'ok');
          form.reset();
        } else {
          A.showErrors(form, r.errors);
        }
      } finally {
        button.disabled = false;
      }
    });
  }
  wire('recover-id-form', 'recover-id-submit', 'recover-id-notice', '/api/v1/recovery/member-id');
  wire('recover-pw-form', 'recover-pw-submit', 'recover-pw-notice', '/api/v1/recovery/password');
});
