// Site-wide behaviour. No inline scripts anywhere (CSP: script-src 'self').
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select.js-autosubmit").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
});
