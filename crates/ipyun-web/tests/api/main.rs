//! Integration tests: the real server on a real database (SQLite file, or PostgreSQL when
//! `IPYUN_TEST_PG_URL` is set), driven over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod architecture;
mod bad_input;
mod demands;
mod exchange;
mod loan_pages;
mod loans;
mod loans_access;
mod loans_alerts;
mod loans_disposal;
mod loans_implementation;
mod match_events;
mod matching;
mod openapi;
mod ops;
mod pages;
mod parties;
mod patent_pages;
mod patents;
mod pledge_bulk;
mod pledge_changes;
mod pledge_notices;
mod pledge_race;
mod pledge_review;
mod pledges;
mod portfolio;
mod products;
mod rights;
mod screenings;
mod session;
mod subsidies;
mod subsidies_access;
mod transfer;
mod valuation;
