// "Kopiëren" next to each register's lines: shown only where a script runs and the clipboard
// can be written; without it the read-only text stays selectable by hand.
document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    var field = document.getElementById(button.dataset.copy);
    var told = button.nextElementSibling;
    navigator.clipboard.writeText(field.value).then(function () {
      if (told) told.textContent = 'Gekopieerd.';
    }, function () {
      field.select();
      if (told) told.textContent = 'Kopiëren lukte niet; de regels zijn geselecteerd.';
    });
  });
});
