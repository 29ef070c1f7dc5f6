import { createHash } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Controller, INestApplication, Module, Post, Put, Req, Body } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IsInt, IsOptional } from 'class-validator';
import { Request } from 'express';
import { createLogger } from '@pacer/observability';
import { ProblemFilter } from './problem.filter';
import { rawBodyOf, TakesRawBody, useRequestInputGuard } from './request-input.guard';
import { createValidationPipe } from './validation';

class SettingsDto {
  @IsOptional()
  @IsInt()
  weekStartsOn?: number;
}

@Controller()
class WebhookProbeController {
  @Post('hook')
  @TakesRawBody(['application/json', 'text/xml'])
  hook(@Req() req: Request): object {
    const raw = rawBodyOf(req) ?? Buffer.alloc(0);
    return {
      sha256: createHash('sha256').update(raw).digest('hex'),
      parsed: Buffer.isBuffer(req.body) ? 'bytes' : (req.body as unknown),
    };
  }

  @Put('settings')
  put(@Body() body: SettingsDto): object {
    return { body };
  }
}

@Module({ controllers: [WebhookProbeController] })
class WebhookProbeModule {}

const sha = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

describe('a raw-body route (signed webhooks): exact bytes, declared media types only', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const nest = await NestFactory.create<NestExpressApplication>(WebhookProbeModule, { logger: false, bodyParser: false });
    useRequestInputGuard(nest, { bodyLimit: '2kb' });
    nest.useGlobalFilters(new ProblemFilter(createLogger('http-spec', 'silent')));
    nest.useGlobalPipes(createValidationPipe());
    await nest.listen(0, '127.0.0.1');
    app = nest;
    base = `http://127.0.0.1:${(nest.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  async function send(path: string, body?: string, type?: string): Promise<{ status: number; json: any }> {
    const res = await fetch(base + path, { method: path === '/settings' ? 'PUT' : 'POST', body, headers: type ? { 'content-type': type } : {} });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  it('hands the handler the JSON bytes exactly as sent (whitespace, escapes, key order) and the parsed value', async () => {
    const body = '[ {"b":1,  "a":"caf\\u00e9 é"} ]\n';
    const res = await send('/hook', body, 'application/json; charset=utf-8');
    expect(res).toEqual({ status: 201, json: { sha256: sha(body), parsed: [{ b: 1, a: 'café é' }] } });
  });

  it('reads an XML body as bytes for the route that declares text/xml', async () => {
    const body = '<?xml version="1.0"?><a>é</a>';
    expect(await send('/hook', body, 'text/xml; charset=utf-8')).toEqual({ status: 201, json: { sha256: sha(body), parsed: 'bytes' } });
  });

  it('refuses a media type the route does not declare (415), no body (400) and a body over the limit (413)', async () => {
    expect((await send('/hook', 'a=1', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await send('/hook', '<a/>', 'application/xml')).status).toBe(415);
    expect((await send('/hook')).status).toBe(400);
    expect((await send('/hook', `"${'x'.repeat(3000)}"`, 'application/json')).status).toBe(413);
    expect((await send('/hook', `<a>${'x'.repeat(3000)}</a>`, 'text/xml')).status).toBe(413);
  });

  it('still applies the JSON input rules to a raw JSON body', async () => {
    const res = await send('/hook', '{"__proto__":{"x":1}}', 'application/json');
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: '__proto__' })]);
    expect((await send('/hook', '{"a":', 'application/json')).status).toBe(400);
  });

  it('an XML body sent to a JSON endpoint is still a 415', async () => {
    expect((await send('/settings', '<settings/>', 'text/xml')).status).toBe(415);
  });
});
