import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Server } from 'node:http';

/** Long enough for a multi-gigabyte import over a slow link. */
export const REQUEST_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/**
 * Node ends any request whose body takes longer than `requestTimeout` (5 minutes by default) to
 * arrive, which would cut a large streamed import short. Headers must still arrive within Node's
 * `headersTimeout`, which keeps the slow-header defence.
 */
@Injectable()
export class RequestTimeoutTuning implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) server.requestTimeout = REQUEST_TIMEOUT_MS;
  }
}
