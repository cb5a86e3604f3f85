import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { TrackingService } from '../services/tracking.service';
import { ApiErrors, ApiOp, ApiContent, TEXT } from '../openapi/decorators';

/** The customer's tracking page: no sign-in, the signed link from the customer's e-mails is the key. */
@ApiTags('tracking')
@Public()
@Controller('track')
export class TrackingController {
  constructor(private readonly service: TrackingService) {}

  @Get(':token')
  @ApiOp('getTrackingPage', "The customer's tracking page for one order (no sign-in)")
  @ApiContent(
    200,
    "The order's status, the steps passed with their dates, carrier and tracking number, in the customer's language; nothing else.",
    { 'text/html': TEXT },
  )
  @ApiContent(404, 'Not a valid tracking link (tampered, truncated or unknown).', { 'text/html': TEXT })
  @ApiContent(410, 'The order ended longer ago than OMS_TRACKING_LINK_DAYS.', { 'text/html': TEXT })
  @ApiContent(429, 'Too many wrong links from this address; wait and retry.', { 'text/html': TEXT })
  @ApiErrors(503)
  async page(
    @Param('token') token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const answer = await this.service.page(token, request.ip ?? 'unknown');
    response
      .status(answer.status)
      .type('html')
      // The token is the key to the page: kept out of caches, referrers and search engines.
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('X-Robots-Tag', 'noindex, nofollow');
    return answer.html;
  }
}
