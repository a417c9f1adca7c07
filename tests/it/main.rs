//! peil's integration tests: one binary, one module per area, the real app in each test.

mod helpers;
mod pg;
mod seen;

mod a11y;
mod accounts;
mod answering;
mod backup;
mod browser;
mod cli;
mod connections;
mod contacts;
mod coordinator;
mod cross_site;
mod forms_check;
mod fuzz;
mod hostile;
mod instances;
mod jobs_check;
mod jobs_page;
mod layout;
mod links;
mod mail;
mod organisation;
mod private_files;
mod respondent_pages;
mod results;
mod rounds;
mod schedule;
mod service;
mod signup;
mod signup_cli;
mod signup_mail;
mod start_page;
mod unlinkable;
mod without_script;
