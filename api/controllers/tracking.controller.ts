import { Body, Controller, Get, Param, Post, Req, Res, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { TrackingService } from '../services/tracking.service';
import { ApiErrors, ApiOp, ApiContent, TEXT } from '../openapi/decorators';
import { ErrorDto } from '../dtos/error.dto';
import { CustomerReturnDto, CustomerReturnFormDto, CustomerReturnRequestDto } from '../dtos/return.dto';

/** A JSON answer to a client, or the HTML page to the tracking page's form. */
const JSON_OR_HTML = (dto: typeof CustomerReturnDto | typeof ErrorDto) => ({
  'application/json': dto,
  'text/html': TEXT,
});

/** The customer's tracking page: no sign-in, the signed link from the customer's e-mails is the key. */
/** The documentation of the customer's return request, shared by its two routes. */
function CustomerReturnRoute(operationId: string, summary: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      operationId,
      summary,
      description:
        "Only while the managers' return settings say `customerMayRequest: true`; the link authorises its order only. The same checks as `POST /api/orders/:id/returns` (shipped units, minus what other returns take back, within the window). The tracking page's form posts `application/x-www-form-urlencoded` (`item-<position>` units, `reason`) and gets HTML back; a JSON body gets JSON.",
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { $ref: getSchemaPath(CustomerReturnRequestDto) } },
          'application/x-www-form-urlencoded': {
            schema: {
              allOf: [{ $ref: getSchemaPath(CustomerReturnFormDto) }],
              additionalProperties: { type: 'string' },
            },
          },
        },
      },
    }),
    ApiExtraModels(CustomerReturnRequestDto, CustomerReturnFormDto),
    ApiContent(
      201,
      'The return, `requested`; recorded with the customer as who asked.',
      JSON_OR_HTML(CustomerReturnDto),
    ),
    ApiContent(400, 'Bad input; the message (and `field`) names the field.', JSON_OR_HTML(ErrorDto)),
    ApiContent(
      403,
      'Customers may not request returns (`customerMayRequest` is false).',
      JSON_OR_HTML(ErrorDto),
    ),
    ApiContent(404, 'Not a valid tracking link.', JSON_OR_HTML(ErrorDto)),
    ApiContent(
      409,
      'More units than shipped minus already returned, units not shipped, or past the window; names the field and the order status.',
      JSON_OR_HTML(ErrorDto),
    ),
    ApiContent(410, 'The order ended longer ago than OMS_TRACKING_LINK_DAYS.', JSON_OR_HTML(ErrorDto)),
    ApiContent(429, 'Too many wrong links from this address; wait and retry.', JSON_OR_HTML(ErrorDto)),
    ApiErrors(503),
  );
}

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

  @Post(':token/returns')
  @CustomerReturnRoute(
    'requestReturnAsCustomer',
    'The customer requests a return of shipped units through the tracking link (no sign-in)',
  )
  async requestReturn(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | object> {
    const form = Boolean(request.is('application/x-www-form-urlencoded'));
    const answer = await this.service.requestReturn(token, request.ip ?? 'unknown', body, form);
    response
      .status(answer.status)
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('X-Robots-Tag', 'noindex, nofollow');
    if (form) {
      response.type('html');
      return answer.html;
    }
    return answer.json;
  }

  /**
   * The page's own form posts here (the page's URL, so the page itself names no link but its own): the same
   * request as `POST /track/:token/returns`.
   */
  @Post(':token')
  @CustomerReturnRoute(
    'requestReturnFromTrackingPage',
    "The tracking page's return form, posted to the page's own URL (no sign-in)",
  )
  requestReturnFromPage(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | object> {
    return this.requestReturn(token, body, request, response);
  }
}
