import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { QuotePublicDto } from '../dtos/quote.dto';
import { DomainError } from '../errors/domain.error';
import { ApiContent, ApiErrors, ApiOp, TEXT } from '../openapi/decorators';
import { renderQuoteNotFound } from '../quotes/quote.page';
import { renderTrackingRefusal } from '../tracking/tracking.page';
import { QuoteService, type QuotePageAnswer } from '../services/quote.service';

/** Whether the caller asked for JSON (`Accept: application/json`) rather than the page (browsers ask for HTML). */
const wantsJson = (request: Request) =>
  request.accepts(['text/html', 'application/json']) === 'application/json';

const PAGE = { 'text/html': TEXT, 'application/json': QuotePublicDto };
const NOT_FOUND = { 'text/html': TEXT, 'application/json': ErrorDto };
const THROTTLED =
  'Too many wrong quote or tracking links from this address (one budget for both); wait and retry.';

/**
 * The customer's quote page: no sign-in, the signed link from the quote's e-mail is the key. HTML for a
 * browser (the forms post back here), JSON for a caller that asks for it.
 */
@ApiTags('quotes')
@Public()
@Controller('q')
export class QuotePageController {
  constructor(private readonly service: QuoteService) {}

  @Get(':token')
  @ApiOp('getQuotePage', "The customer's quote page (no sign-in)")
  @ApiContent(200, 'The quote in the customer’s language, with Accept and Decline while it is sent.', PAGE)
  @ApiContent(404, 'Not a valid quote link (tampered, truncated, a tracking link, or unknown).', NOT_FOUND)
  @ApiContent(429, THROTTLED, NOT_FOUND)
  @ApiErrors(503)
  page(
    @Param('token') token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.respond(request, response, () => this.service.page(token));
  }

  @Post(':token/accept')
  @HttpCode(200)
  @ApiOp(
    'acceptQuote',
    'The customer accepts the quote (no sign-in)',
    'Creates the order (source `quote`) through the normal order path, exactly once: accepting again, or ' +
      'two accepts at once, answer the one order.',
  )
  @ApiContent(200, 'The accepted quote with its order.', PAGE)
  @ApiContent(404, 'Not a valid quote link.', NOT_FOUND)
  @ApiContent(429, THROTTLED, NOT_FOUND)
  @ApiContent(409, 'The quote is a draft, declined or expired: the page, or the error naming `status`.', {
    'text/html': TEXT,
    'application/json': ErrorDto,
  })
  @ApiErrors(503)
  accept(
    @Param('token') token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.respond(request, response, () => this.service.accept(token));
  }

  @Post(':token/decline')
  @HttpCode(200)
  @ApiOp('declineQuote', 'The customer declines the quote (no sign-in)')
  @ApiContent(200, 'The declined quote.', PAGE)
  @ApiContent(404, 'Not a valid quote link.', NOT_FOUND)
  @ApiContent(429, THROTTLED, NOT_FOUND)
  @ApiContent(409, 'The quote is a draft, accepted or expired: the page, or the error naming `status`.', {
    'text/html': TEXT,
    'application/json': ErrorDto,
  })
  @ApiErrors(503)
  decline(
    @Param('token') token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.respond(request, response, () => this.service.decline(token));
  }

  /**
   * JSON: the quote, or the refusal thrown for the one error filter. HTML: the page, with the refusal's
   * status code (the page then shows the quote's status), or the bilingual page of an unknown link.
   */
  private async respond(
    request: Request,
    response: Response,
    work: () => Promise<QuotePageAnswer>,
  ): Promise<QuotePublicDto | string> {
    // The token is the key to the quote: kept out of caches, referrers and search engines.
    response
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('X-Robots-Tag', 'noindex, nofollow');
    const json = wantsJson(request);
    let answer: QuotePageAnswer;
    try {
      answer = await this.service.fromAddress(request.ip ?? '', work);
    } catch (error) {
      if (json || !(error instanceof DomainError)) throw error;
      if (error.kind === 'throttled') {
        response.status(429).type('html');
        return renderTrackingRefusal('throttled');
      }
      if (error.kind !== 'not_found') throw error;
      response.status(404).type('html');
      return renderQuoteNotFound();
    }
    if (json) {
      if (answer.refusal) throw answer.refusal;
      return answer.quote;
    }
    response.status(answer.status).type('html');
    return answer.html;
  }
}
