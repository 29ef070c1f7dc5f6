// Unit tests are pure: a generous timeout only for property-based runs.
jest.setTimeout(30_000);
