import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import {
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { TrackingService } from '../services/tracking.service';

/** The customer's tracking page: no sign-in, the signed link from the customer's e-mails is the key. */
@ApiTags('tracking')
@Public()
@Controller('track')
export class TrackingController {
  constructor(private readonly service: TrackingService) {}

  @Get(':token')
  @ApiProduces('text/html')
  @ApiOkResponse({
    description:
      "The order's status, the steps passed with their dates, carrier and tracking number, in the customer's language; nothing else.",
  })
  @ApiNotFoundResponse({ description: 'Not a valid tracking link (tampered, truncated or unknown).' })
  @ApiGoneResponse({ description: 'The order ended longer ago than OMS_TRACKING_LINK_DAYS.' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong links from this address; wait and retry.' })
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
