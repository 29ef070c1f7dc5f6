// Integration tests start real consumers against a real broker; group joins take seconds.
jest.setTimeout(180_000);
