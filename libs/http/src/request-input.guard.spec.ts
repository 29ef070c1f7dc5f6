import { AddressInfo } from 'node:net';
import { Body, Controller, INestApplication, Module, Param, Post, Put, Query, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IsInt, IsOptional } from 'class-validator';
import { Request } from 'express';
import { createLogger } from '@pacer/observability';
import { ProblemFilter } from './problem.filter';
import { TakesBody, useRequestInputGuard } from './request-input.guard';
import { createValidationPipe } from './validation';

class SettingsDto {
  @IsOptional()
  @IsInt()
  weekStartsOn?: number;
}

class EmptyDto {}

@Controller()
class ProbeController {
  @Put('settings/:teamId')
  put(@Param('teamId') teamId: string, @Body() body: SettingsDto): object {
    return { teamId, body };
  }

  @Post('start')
  start(@Query('x') _x?: string): object {
    return { started: true };
  }

  @Post('rebuild')
  rebuild(@Body() body: EmptyDto): object {
    return { body };
  }

  @Post('import')
  @TakesBody('stream')
  import(@Req() req: Request): object {
    return { type: req.headers['content-type'] ?? null };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('the request-input guard: content type, required and optional bodies, parameters', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const nest = await NestFactory.create<NestExpressApplication>(ProbeModule, { logger: false, bodyParser: false });
    useRequestInputGuard(nest, { bodyLimit: '1mb' });
    nest.useGlobalFilters(new ProblemFilter(createLogger('http-spec', 'silent')));
    nest.useGlobalPipes(createValidationPipe());
    await nest.listen(0, '127.0.0.1');
    app = nest;
    base = `http://127.0.0.1:${(nest.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app.close());

  async function send(method: string, path: string, body?: string, type?: string): Promise<{ status: number; json: any; contentType: string | null }> {
    const res = await fetch(base + path, { method, body, headers: type ? { 'content-type': type } : {} });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, contentType: res.headers.get('content-type') };
  }

  it.each([
    ['text/plain', '{"weekStartsOn":2}'],
    ['application/x-www-form-urlencoded', 'weekStartsOn=2'],
    ['application/xml', '<settings/>'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('a %s body where JSON is taken is a 415 problem', async (type, body) => {
    const res = await send('PUT', '/settings/t1', body, type);
    expect(res.status).toBe(415);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.json.errors[0].path).toBe('');
  });

  it('a body without a content type is a 415', async () => {
    const res = await fetch(`${base}/settings/t1`, { method: 'PUT', body: new Uint8Array(Buffer.from('{"weekStartsOn":2}')) });
    expect(res.status).toBe(415);
  });

  it.each([
    ['no body at all', undefined, undefined],
    ['an empty application/json body', '', 'application/json'],
    ['an empty text/plain body', '', 'text/plain'],
  ])('%s where a body is required is a 400, never read as {}', async (_, body, type) => {
    const res = await send('PUT', '/settings/t1', body, type);
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: '' })]);
  });

  it('a JSON body where one is required reaches the handler', async () => {
    const res = await send('PUT', '/settings/t1', '{"weekStartsOn":2}', 'application/json; charset=utf-8');
    expect(res).toMatchObject({ status: 200, json: { teamId: 't1', body: { weekStartsOn: 2 } } });
  });

  it('an endpoint without a body takes none or {}, and names a field it does not take', async () => {
    expect((await send('POST', '/start')).status).toBe(201);
    expect((await send('POST', '/start', '{}', 'application/json')).status).toBe(201);
    const extra = await send('POST', '/start', '{"force":true}', 'application/json');
    expect(extra.status).toBe(400);
    expect(extra.json.errors).toEqual([expect.objectContaining({ path: 'force' })]);
    expect((await send('POST', '/start', 'x', 'text/plain')).status).toBe(415);
  });

  it('a DTO without fields makes the body optional (a rebuild takes {} or nothing)', async () => {
    expect((await send('POST', '/rebuild')).status).toBe(201);
    expect((await send('POST', '/rebuild', '{}', 'application/json')).status).toBe(201);
    expect((await send('POST', '/rebuild', '{"tenant":"x"}', 'application/json')).status).toBe(400);
  });

  it('a streaming endpoint checks its own content type', async () => {
    expect(await send('POST', '/import', 'a,b\n', 'text/csv')).toMatchObject({ status: 201, json: { type: 'text/csv' } });
  });

  it('a NUL or an over-long id in a path parameter is a 400 naming it', async () => {
    for (const id of ['a%00b', 'r'.repeat(300), 'tab%09in']) {
      const res = await send('PUT', `/settings/${id}`, '{}', 'application/json');
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual([expect.objectContaining({ path: 'teamId' })]);
    }
  });

  it('a malformed percent-encoding in the path is a 400, not a 500', async () => {
    expect((await send('PUT', '/settings/%E0%A4%A', '{}', 'application/json')).status).toBe(400);
  });

  it('a NUL in a query value or a __proto__ query key is a 400 naming it', async () => {
    const nul = await send('POST', '/start?x=a%00');
    expect(nul.status).toBe(400);
    expect(nul.json.errors).toEqual([expect.objectContaining({ path: 'x' })]);
    const proto = await send('POST', '/start?__proto__=1');
    expect(proto.status).toBe(400);
    expect(proto.json.errors).toEqual([expect.objectContaining({ path: '__proto__' })]);
  });

  it('deep JSON and prototype keys are refused before any handler runs', async () => {
    const deep = await send('PUT', '/settings/t1', '['.repeat(2000) + ']'.repeat(2000), 'application/json');
    expect(deep.status).toBe(400);
    const proto = await send('PUT', '/settings/t1', '{"__proto__":{"weekStartsOn":3}}', 'application/json');
    expect(proto).toMatchObject({ status: 400, json: { errors: [{ path: '__proto__' }] } });
  });
});

describe('an optional body declared on a DTO without fields', () => {
  @Controller()
  class RebuildController {
    @Post('rebuild')
    @TakesBody('optional-json')
    rebuild(@Body() body: EmptyDto): object {
      return { body };
    }
  }

  @Module({ controllers: [RebuildController] })
  class RebuildModule {}

  it('takes none or {}, and names a field it does not take', async () => {
    const nest = await NestFactory.create<NestExpressApplication>(RebuildModule, { logger: false, bodyParser: false });
    useRequestInputGuard(nest, { bodyLimit: '1mb' });
    nest.useGlobalFilters(new ProblemFilter(createLogger('http-spec', 'silent')));
    nest.useGlobalPipes(createValidationPipe());
    await nest.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(nest.getHttpServer().address() as AddressInfo).port}/rebuild`;
      const post = (body?: string) =>
        fetch(url, { method: 'POST', body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
      expect((await post()).status).toBe(201);
      expect((await post('{}')).status).toBe(201);
      const extra = await post('{"tenant":"other"}');
      expect(extra.status).toBe(400);
      expect(await extra.json()).toMatchObject({ errors: [{ path: 'tenant' }] });
      expect((await post('[]')).status).toBe(400);
    } finally {
      await nest.close();
    }
  });
});
