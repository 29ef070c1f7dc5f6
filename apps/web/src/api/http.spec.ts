import { ProblemError, problemOf } from './http';

describe('problem+json from the services', () => {
  it('reads a validation problem with the fields it names', async () => {
    const res = new Response(
      JSON.stringify({ type: 'urn:pacer:problem:validation-failed', title: 'Bad Request', status: 400, detail: 'The request is not valid.', errors: [{ path: 'targets.calls', message: 'must be a whole number' }] }),
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
    const problem = await problemOf(res);
    expect(problem).toBeInstanceOf(ProblemError);
    expect(problem.status).toBe(400);
    expect(problem.type).toBe('urn:pacer:problem:validation-failed');
    expect(problem.messagesFor('targets.calls')).toEqual(['must be a whole number']);
    expect(problem.messagesFor('targets')).toEqual(['must be a whole number']);
    expect(problem.messagesFor('targets.call')).toEqual([]);
  });

  it('still gives a problem when the body is not JSON (a proxy error page)', async () => {
    const problem = await problemOf(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(problem.status).toBe(502);
    expect(problem.title).toBe('Bad Gateway');
    expect(problem.errors).toEqual([]);
  });
});
