// Progressive enhancement for every page: the header search box needs JavaScript (its results
// page does), so it is revealed only when scripts run; without them the navigation links to the
// browse pages remain.
for (const form of document.querySelectorAll("[data-site-search]")) {
  form.hidden = false;
}
